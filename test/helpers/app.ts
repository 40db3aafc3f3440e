import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.ts';
import { createHttpServer } from '../../server/http-server.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { SqliteStore } from '../../server/store/sqlite-store.ts';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: SqliteStore;
  config: Readonly<Config>;
  dbPath: string;
  /** Serves the app on 127.0.0.1 and a free port; resolves to its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The real app on a real SQLite file in a temp folder, configured as `env` says. */
export function makeTestApp(env: Record<string, string> = {}, dbPath?: string): TestApp {
  const dir = dbPath ? undefined : mkdtempSync(join(tmpdir(), 'authbin-test-'));
  const path = dbPath ?? join(dir!, 'authbin.db');
  const config = loadConfig([], env, { webRoot: join(tmpdir(), 'authbin-no-ui') });
  const store = new SqliteStore(path, { maxRequestsPerBin: config.maxRequestsPerBin, retentionDays: config.retentionDays, maxDbBytes: config.maxDbBytes });
  const app = createApp({ store, config });
  let server: Server | undefined;
  return {
    app,
    store,
    config,
    dbPath: path,
    listen: () =>
      new Promise((resolve) => {
        server = createHttpServer(app);
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
      }),
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
