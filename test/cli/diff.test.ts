import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResult } from '../../shared/api.ts';
import { runCli } from '../../server/cli/run-cli.ts';
import { migrate as migratePostgres } from '../../server/store/postgres/schema.ts';
import { migrate as migrateSqlite } from '../../server/store/sqlite/migrations.ts';
import { startTestApp, testEngines, type TestApp, type TestEngine } from '../helpers/app.ts';
import { curlWithBase64 } from '../helpers/curl-base64.ts';

const email = 'jane@example.com';
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

async function run(args: string[], options: { terminal?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => (stdout += text),
    stderr: (text: string) => (stderr += text),
    readStdin: async () => '',
    stdinIsTerminal: true,
    stdoutIsTerminal: options.terminal ?? false,
    now: () => Date.now(),
  };
  // The command reads its environment from process.env: NO_COLOR is set and cleared around the run.
  const saved = process.env.NO_COLOR;
  if (options.env?.NO_COLOR !== undefined) process.env.NO_COLOR = options.env.NO_COLOR;
  else delete process.env.NO_COLOR;
  try {
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  } finally {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  }
}

describe.each(testEngines())('authbin diff on $name', (engine) => {
  let t: TestApp;
  let base: string;
  let works: string;
  let fails: string;
  let again: string;

  async function capture(path: string, init?: RequestInit): Promise<string> {
    const response = await t.app.request(path, init);
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    t = await startTestApp(engine);
    base = await t.listen();
    works = await capture('/b/works/tickets.json', { method: 'POST', headers: { Authorization: basic(`${email}/token:${token}`), 'Content-Type': 'application/json' }, body: '{"ticket":{"status":"open"}}' });
    fails = await capture('/b/fails/tickets.json', { method: 'POST', headers: { Authorization: basic(`${email}/token:${token}\n`), 'Content-Type': 'application/json' }, body: '{"ticket":{"status":"solved"}}' });
    again = await capture('/b/works/tickets.json', { method: 'POST', headers: { Authorization: basic(`${email}/token:${token}`), 'Content-Type': 'application/json' }, body: '{"ticket":{"status":"open"}}' });
  });
  afterAll(() => t.close());

  it('reads the database beside the running server and prints what differs, exit 1', async () => {
    const { code, stdout, stderr } = await run(['diff', '--db', t.dbPath, works, fails]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^A  #${works}  POST /b/works/tickets.json  \\d{4}-`));
    expect(lines[1]).toMatch(new RegExp(`^B  #${fails}  POST /b/fails/tickets.json  `));
    expect(lines[3]).toBe("Same credentials, but B's API token ends with a line break");
    expect(stdout).toContain('· The JSON bodies differ at 1 path: $.ticket.status');
    expect(stdout).toContain('Body (json)\n  ~ $.ticket.status: "open" → "solved"');
    expect(stdout).toContain('only B: error trailing-newline');
    expect(stdout).toContain('~ authorization: "Basic •••••••• (84 characters)" → "Basic •••••••• (88 characters)"');
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain('\x1b[');
  });

  it('gives the same JSON from the database as the API, and as --server', async () => {
    const local = await run(['diff', '--db', t.dbPath, '--json', works, fails]);
    const remote = await run(['diff', '--server', base, '--json', works, fails]);
    const api = (await (await fetch(`${base}/api/compare?a=${works}&b=${fails}`)).json()) as CompareResult;
    expect(JSON.parse(local.stdout)).toEqual(api);
    expect(JSON.parse(remote.stdout)).toEqual(api);
    expect(remote.code).toBe(1);
    const text = await run(['diff', '--server', base, works, fails]);
    expect(text.stdout).toBe((await run(['diff', '--db', t.dbPath, works, fails])).stdout);
  });

  it('exits 0 for two requests alike, and colours only a terminal without NO_COLOR', async () => {
    const alike = await run(['diff', '--db', t.dbPath, works, again], { terminal: true });
    expect(alike.code).toBe(0);
    expect(alike.stdout).toContain('\x1b[32mNo differences.\x1b[39m');
    const coloured = await run(['diff', '--db', t.dbPath, works, fails], { terminal: true });
    expect(coloured.stdout).toContain("\x1b[1mSame credentials, but B's API token ends with a line break\x1b[22m");
    expect(coloured.stdout).toContain('  \x1b[33m~ $.ticket.status: "open" → "solved"\x1b[39m');
    const noColor = await run(['diff', '--db', t.dbPath, works, fails], { terminal: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\x1b[');
  });

  it('prints that a request curl sent with base64 wrapped was refused by the HTTP parser and why, with no body for it', async () => {
    const credentials = `jane.roe@example.com/token:${token}`;
    const good = await curlWithBase64(`${base}/b/works/api/v2/users/me.json`, credentials, '-w0');
    const refused = await curlWithBase64(`${base}/b/fails/api/v2/users/me.json`, credentials, '');
    const { code, stdout } = await run(['diff', '--db', t.dbPath, good, refused]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^B  #${refused}  GET /b/fails/api/v2/users/me.json  \\S+  refused by the HTTP parser \\(HPE_CR_EXPECTED\\)$`));
    expect(lines[3]).toMatch(/^B was refused by the HTTP parser: the Authorization header contains a line break where base64 wrapped it at 76 columns\. Send exactly .*base64 -w0/);
    expect(stdout).toContain('~ Authorization: "Basic •••••••• (92 characters)" → "Basic •••••••• (93 characters)"');
    expect(stdout).toMatch(/only B: error whitespace: /);
    expect(stdout).toContain('Body (refused)\n  B has no body to compare: the HTTP parser refused it at its head, before any body was read\n');
    // Its head is not printed as a body, and the credentials not at all.
    expect(stdout).not.toContain('HTTP/1.1');
    expect(stdout).not.toContain(token);
    expect((await run(['diff', '--server', base, good, refused])).stdout).toBe(stdout);
  });

  it('says which request is missing, exit 2', async () => {
    const missing = String(Number(again) + 1000);
    expect(await run(['diff', '--db', t.dbPath, works, missing])).toMatchObject({ code: 2, stderr: expect.stringMatching(new RegExp(`^authbin diff: no request with id ${missing} \\(request B\\) in `)) });
    expect(await run(['diff', '--server', base, missing, works])).toMatchObject({
      code: 2,
      stderr: `authbin diff: no request with id ${missing} (request A): it was deleted, expired, or never existed\n`,
    });
  });
});

/**
 * A database of the first release (no refused requests, relays or rules yet: no `parser_error`,
 * `forward` or `answer` column), as a server that has not been upgraded leaves it, holding `authorizations`
 * as two requests; resolves to their ids.
 */
async function firstReleaseDatabase(engine: TestEngine['name'], db: string, authorizations: string[]): Promise<string[]> {
  const headers = (authorization: string) => JSON.stringify([['Host', 'h'], ['Authorization', authorization]]);
  if (engine === 'sqlite') {
    const old = new Database(db);
    try {
      migrateSqlite(old, 1);
      old.prepare('INSERT INTO bins (id, created_at) VALUES (?, ?)').run('old', Date.now());
      const insert = old.prepare(`INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated)
        VALUES ('old', ?, 'POST', '/legacy', '', '1.1', ?, X'', 0, 0) RETURNING id`);
      return authorizations.map((authorization) => String((insert.get(Date.now(), headers(authorization)) as { id: number }).id));
    } finally {
      old.close();
    }
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    await migratePostgres(client, 1);
    await client.query('INSERT INTO bins (id, created_at) VALUES ($1, $2)', ['old', Date.now()]);
    const ids: string[] = [];
    for (const authorization of authorizations) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated, search)
         VALUES ('old', $1, 'POST', '/legacy', '', '1.1', $2, '', 0, false, ''::tsvector) RETURNING id`,
        [Date.now(), headers(authorization)],
      );
      ids.push(rows[0]!.id);
    }
    return ids;
  } finally {
    await client.end();
  }
}

describe.each(testEngines())('authbin diff on a $name database no server has upgraded yet', (engine) => {
  it('reads requests stored before refused requests, relays and rules had columns', async () => {
    const { db, drop } = await engine.createDatabase();
    try {
      const [a, b] = await firstReleaseDatabase(engine.name, db, [basic(`${email}/token:${token}`), basic(`${email}/token:${token}\n`)]);
      const { code, stdout, stderr } = await run(['diff', '--db', db, a!, b!]);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(stdout.split('\n')[3]).toBe("Same credentials, but B's API token ends with a line break");
      expect(stdout).not.toContain('refused');
    } finally {
      await drop();
    }
  });
});

describe('authbin diff command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-diff-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('explains a bad command line with exit 2', async () => {
    expect(await run(['diff', '1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('give the ids of the two requests to compare (got 1)') });
    expect(await run(['diff', '1', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('"x" is not a request id') });
    expect(await run(['diff', '1', '2', '--db', 'a', '--server', 'http://127.0.0.1:1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('give --db or --server, not both') });
    expect(await run(['diff', '1', '2', '--bogus'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Run "authbin diff --help" for usage.') });
    expect((await run(['diff', '--help'])).stdout).toMatch(/^Usage: authbin diff <id A> <id B>/);
  });

  it('says why a database or a server cannot be read, exit 2', async () => {
    const nowhere = join(dir, 'none.db');
    expect(await run(['diff', '--db', nowhere, '1', '2'])).toEqual({ code: 2, stdout: '', stderr: `authbin diff: cannot read the database ${nowhere}: there is no database file there\n` });
    const notSqlite = join(dir, 'notes.db');
    writeFileSync(notSqlite, 'these are notes, not a database');
    expect(await run(['diff', '--db', notSqlite, '1', '2'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^authbin diff: cannot read the database .*notes\.db: file is not a database/) });
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await run(['diff', '--server', `http://127.0.0.1:${port}`, '1', '2']);
    expect(unreachable).toMatchObject({ code: 2, stderr: expect.stringMatching(new RegExp(`^authbin diff: cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`)) });
  });
});
