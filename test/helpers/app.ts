import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { afterAll, expect, vi } from 'vitest';
import type { RequestDetail } from '../../shared/api.ts';
import { createApp } from '../../server/app.ts';
import { CaptureAdmission } from '../../server/capture/admission.ts';
import { answerRefusedRequests } from '../../server/capture/refused-requests.ts';
import { createRelay } from '../../server/forward/relay.ts';
import { createHttpServer } from '../../server/http-server.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { openStore, type StoreConfig } from '../../server/store/open-store.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../server/store/store.ts';
import { createDatabase, postgresAvailability, stopTestPostgres, testPostgres } from './postgres.ts';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: Store;
  config: Readonly<Config>;
  /** The SQLite file, or the PostgreSQL URL. */
  dbPath: string;
  /** Serves the app on 127.0.0.1 and a free port; resolves to its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** A store engine the store and API suites run against. */
export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** A new, empty database: a SQLite path or a PostgreSQL URL. Removed when `drop` is called or after the test file. */
  createDatabase(): Promise<{ db: string; drop(): Promise<void> }>;
  /** Bytes the database holds, as the size cap counts them: the SQLite file, or PostgreSQL's stored-bytes ledger. */
  dataBytes(db: string): Promise<number>;
}

type StoreOptions = Omit<StoreConfig, 'db'>;

/** The store on `db` (as `openStore` in the server picks it), with retention as `options` says. */
export function openTestStore(db: string, options: Partial<StoreOptions> = {}): Promise<Store> {
  return openStore({ db, maxRequestsPerBin: 10_000, retentionDays: 7, maxDbBytes: null, ...options });
}

function withApp(store: Store, config: Readonly<Config>, db: string, cleanup: () => Promise<void>): TestApp {
  let server: Server | undefined;
  const deps = { store, config, listenAddress: () => (server?.address() as AddressInfo | null | undefined) ?? null };
  const admission = new CaptureAdmission(deps);
  const relay = createRelay(deps);
  const app = createApp({ ...deps, admission, relay });
  return {
    app,
    store,
    config,
    dbPath: db,
    listen: () =>
      new Promise((resolve) => {
        server = createHttpServer(app);
        answerRefusedRequests(server, { store, config, admission, relay });
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
      }),
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await store.close();
      await cleanup();
    },
  };
}

/** One stored request as the API shows it, from the server at `base`. */
export async function fetchDetail(base: string, id: string): Promise<RequestDetail> {
  const response = await fetch(`${base}/api/requests/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RequestDetail;
}

/** How relaying request `id` to its bin's forwardTo went, once recorded (the relay runs after the capture is answered). */
export function recordedForward(base: string, id: string): Promise<NonNullable<RequestDetail['forward']>> {
  return vi.waitFor(
    async () => {
      const { forward } = await fetchDetail(base, id);
      if (!forward) throw new Error(`the relay of request ${id} is not recorded yet`);
      return forward;
    },
    { timeout: 5000, interval: 20 },
  );
}

const testConfig = (env: Record<string, string>) => loadConfig([], env, { webRoot: join(tmpdir(), 'authbin-no-ui') });

/** The real app on a real SQLite file in a temp folder, configured as `env` says. */
export function makeTestApp(env: Record<string, string> = {}, dbPath?: string): TestApp {
  const dir = dbPath ? undefined : mkdtempSync(join(tmpdir(), 'authbin-test-'));
  const path = dbPath ?? join(dir!, 'authbin.db');
  const config = testConfig(env);
  const store = new SqliteStore(path, { maxRequestsPerBin: config.maxRequestsPerBin, retentionDays: config.retentionDays, maxDbBytes: config.maxDbBytes });
  return withApp(store, config, path, async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

/** The real app on a fresh database of `engine`, configured as `env` says. */
export async function startTestApp(engine: TestEngine, env: Record<string, string> = {}): Promise<TestApp> {
  const { db, drop } = await engine.createDatabase();
  return startTestAppOn(db, env, drop);
}

/** The real app on the database `db` (a second instance on one PostgreSQL database, say); `cleanup` runs after it closes. */
export async function startTestAppOn(db: string, env: Record<string, string> = {}, cleanup: () => Promise<void> = async () => {}): Promise<TestApp> {
  const config = testConfig(env);
  const store = await openTestStore(db, {
    maxRequestsPerBin: config.maxRequestsPerBin,
    retentionDays: config.retentionDays,
    maxDbBytes: config.maxDbBytes,
    ...(config.secretKey && { secretKey: config.secretKey }),
  });
  return withApp(store, config, db, cleanup);
}

const sqlite: TestEngine = {
  name: 'sqlite',
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'authbin-test-'));
    return { db: join(dir, 'authbin.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  dataBytes: async (db) => statSync(db).size,
};

/** Databases made in this test file and not dropped yet: dropped after it. */
const leftovers = new Set<() => Promise<void>>();

const postgres: TestEngine = {
  name: 'postgres',
  async createDatabase() {
    const database = await createDatabase((await testPostgres()).url);
    const drop = async () => {
      leftovers.delete(drop);
      await database.drop();
    };
    leftovers.add(drop);
    return { db: database.url, drop };
  },
  async dataBytes(db) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      return Number((await client.query<{ bytes: string }>('SELECT coalesce(sum(delta), 0) AS bytes FROM stored_bytes')).rows[0]!.bytes);
    } finally {
      await client.end();
    }
  },
};

/** Says once per test run (not once per file) that the PostgreSQL half is skipped, and why. */
function sayOnce(message: string): void {
  // Test files run in child processes of one vitest process: the first to create the mark speaks.
  const mark = join(tmpdir(), `authbin-postgres-skipped-${process.ppid}`);
  try {
    closeSync(openSync(mark, 'wx'));
  } catch {
    return;
  }
  console.warn(message);
}

/**
 * The engines a test file runs its suites against: SQLite always, PostgreSQL when a server is
 * available (see test/helpers/postgres.ts). Call it at the top of the file: it also stops the
 * PostgreSQL server it may start, after the file's tests.
 */
export function testEngines(): TestEngine[] {
  const availability = postgresAvailability();
  if (!availability.available) {
    if (process.env.AUTHBIN_REQUIRE_POSTGRES === '1') throw new Error(`AUTHBIN_REQUIRE_POSTGRES=1 but PostgreSQL is not available: ${availability.reason}`);
    sayOnce(`authbin: the PostgreSQL half of the store and API suites is skipped: ${availability.reason}. Set AUTHBIN_TEST_POSTGRES_URL or install the PostgreSQL server to run it.`);
    return [sqlite];
  }
  afterAll(async () => {
    for (const drop of [...leftovers]) await drop();
    await stopTestPostgres();
  });
  return [sqlite, postgres];
}
