import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import { createApp } from './app.ts';
import { CaptureAdmission } from './capture/admission.ts';
import { answerRefusedRequests } from './capture/refused-requests.ts';
import { createRelay } from './forward/relay.ts';
import { createHttpServer, type TlsMaterial } from './http-server.ts';
import { ConfigError, HelpRequested, loadConfig, usage, type Config } from './config.ts';
import { LiveHub } from './live/hub.ts';
import { readTls, reloadTlsOnHangup } from './tls-files.ts';
import { binResponse } from './routes/validate.ts';
import { databaseLabel, openStore as openDatabase } from './store/open-store.ts';
import type { Store } from './store/store.ts';

const shutdownGraceMs = 10_000;

function fail(message: string): never {
  console.error(`authbin: ${message}`);
  process.exit(1);
}

async function openStore(config: Readonly<Config>): Promise<Store> {
  const path = databaseLabel(config.db);
  try {
    return await openDatabase(config);
  } catch (error) {
    const reason = (error as Error).message;
    if (/not a database|malformed|file is not/i.test(reason)) fail(`cannot open database ${path}: it is not an authbin SQLite database (${reason}); it was left untouched`);
    fail(`cannot open database ${path}: ${reason}`);
  }
}

/** Creates the bins named with --bin, and sets the responses given with them. */
async function presetBins(store: Store, config: Readonly<Config>): Promise<void> {
  for (const preset of config.bins) {
    let response;
    try {
      response = preset.response && binResponse(preset.response);
    } catch (error) {
      fail(`invalid --bin "${preset.id}": ${(error as Error).message}`);
    }
    const created = await store.createBin(preset.id, response);
    if (!created && response) await store.updateBin(preset.id, { response });
  }
}

/** Starts the server as `authbin serve [flags]` (or `npm start`) asks; the process ends on SIGTERM/SIGINT. */
export async function serve(argv: string[]): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig(argv, process.env, {
      webRoot: fileURLToPath(new URL('../web', import.meta.url)),
    });
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${usage}\n`);
      return;
    }
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  let tls: TlsMaterial | undefined;
  try {
    tls = config.tls ? readTls(config.tls) : undefined;
  } catch (error) {
    fail((error as Error).message);
  }
  const store = await openStore(config);
  await presetBins(store, config);
  const hub = new LiveHub(store);
  // The server exists by the time the app asks where it listens.
  const deps = { store, config, listenAddress: () => server.address() as AddressInfo | null };
  // Shared by the capture route and the requests the HTTP parser refuses, which count and relay alike.
  const admission = new CaptureAdmission(deps);
  const relay = createRelay(deps);
  const app = createApp({ ...deps, hub, admission, relay });
  const server = createHttpServer(app, tls);
  answerRefusedRequests(server, { store, config, admission, relay });
  if (config.tls) reloadTlsOnHangup(server as HttpsServer, config.tls);
  server.on('error', (error: NodeJS.ErrnoException) => {
    fail(error.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is in use: pick another with --port or PORT` : `cannot listen on ${config.host}:${config.port}: ${error.message}`);
  });
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
    console.log(`authbin listening on ${config.tls ? 'https' : 'http'}://${host}:${port} (data in ${databaseLabel(config.db)})`);
  });
  server.listen(config.port, config.host);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Stop accepting, end live streams, let in-flight requests finish (bounded), then close the database.
    server.close(() => {
      clearInterval(sweeper);
      store.close().then(() => process.exit(0), (error: Error) => fail(`closing the database failed: ${error.message}`));
    });
    hub.close();
    // Keep-alive sockets turn idle as their last response ends (the event streams just now): close them then.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), shutdownGraceMs).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
