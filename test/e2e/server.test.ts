import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail, RequestPage } from '../../shared/api.ts';
import { startServer } from '../helpers/server.ts';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'server', 'cli', 'main.js');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'authbin-e2e-server-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
function refused(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, 'serve', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('the server as npm start runs it', () => {
  it('prints its address, answers /healthz and serves the UI', async () => {
    const server = await startServer();
    try {
      expect(server.output()).toBe(`authbin listening on ${server.url} (data in ${server.dbPath})\n`);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      const page = await fetch(`${server.url}/bins/anything`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toMatch(/<!doctype html>/i);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('runs as `authbin` with only flags, the way an installed package starts', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--db', join(dir, 'no-command.db')], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await expect.poll(() => output, { timeout: 15_000 }).toMatch(/^authbin listening on http:\/\/127\.0\.0\.1:\d+ \(data in .*no-command\.db\)\n$/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it("gives back a newcomer's curl request exactly, through the API, and keeps it across a restart", async () => {
    const dbPath = join(dir, 'restart.db');
    let server = await startServer({ dbPath });
    const curl = execFileSync('curl', ['-s', '-u', 'me@example.com/token:abc', '-d', '{"a":1}', `${server.url}/b/demo/hook`], { encoding: 'utf8' });
    const { id } = JSON.parse(curl) as { id: string };
    expect(await server.stop()).toBe(0);

    server = await startServer({ dbPath });
    try {
      const detail = (await (await fetch(`${server.url}/api/requests/${id}`)).json()) as RequestDetail;
      expect(detail).toMatchObject({ bin: 'demo', method: 'POST', path: '/hook', body: { text: '{"a":1}', truncated: false, size: 7 } });
      expect(detail.headers).toContainEqual(['Authorization', `Basic ${Buffer.from('me@example.com/token:abc').toString('base64')}`]);
      expect(detail.headers).toContainEqual(['Content-Type', 'application/x-www-form-urlencoded']);
      expect(detail.analysis.basic).toMatchObject({ email: 'me@example.com', kind: 'api-token' });
      const page = (await (await fetch(`${server.url}/api/bins/demo/requests`)).json()) as RequestPage;
      expect(page.requests.map((r) => r.id)).toEqual([id]);
    } finally {
      await server.stop();
    }
  });

  it('answers a 100 MB upload with 413 and keeps memory bounded by the body cap', async () => {
    const server = await startServer();
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.process.pid}/status`, 'utf8'))![1]) * 1024;
    try {
      await fetch(`${server.url}/b/warmup`, { method: 'POST', body: 'x' });
      const before = rss();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
      const chunk = Buffer.alloc(1024 * 1024, 'z');
      const status = await new Promise<number | string>((resolve) => {
        const { port } = new URL(server.url);
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/b/huge', headers: { 'Content-Length': String(100 * chunk.length) } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', (error) => resolve(error.message));
        let sent = 0;
        const pump = () => {
          while (sent < 100) {
            sent++;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      clearInterval(sampler);
      expect(status).toBe(413);
      // Bounded by the cap, not by the 100 MiB sent: the body kept, SQLite's copy of it and garbage
      // not yet collected. (The benchmark reports the exact figure against its target.)
      expect(peak - before).toBeLessThan(64 * 1024 * 1024);
      const page = (await (await fetch(`${server.url}/api/bins/huge/requests`)).json()) as RequestPage;
      expect(page.requests[0]).toMatchObject({ size: 100 * chunk.length });
      const detail = (await (await fetch(`${server.url}/api/requests/${page.requests[0]!.id}`)).json()) as RequestDetail;
      expect(detail.body.truncated).toBe(true);
      expect(Buffer.from(detail.body.base64, 'base64').length).toBe(10 * 1024 * 1024);
    } finally {
      await server.stop();
    }
  });

  it('creates the bins named with --bin, with their response preset', async () => {
    const server = await startServer({ args: ['--bin', 'plain', '--bin', 'flaky={"status":503,"headers":{"Retry-After":"7"},"body":"later"}'] });
    try {
      const bins = (await (await fetch(`${server.url}/api/bins`)).json()) as { bins: { id: string }[] };
      expect(bins.bins.map((b) => b.id).sort()).toEqual(['flaky', 'plain']);
      const response = await fetch(`${server.url}/b/flaky`, { method: 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.text()).toBe('later');
    } finally {
      await server.stop();
    }
    const bad = refused(['--port', '0', '--db', join(dir, 'bins.db'), '--bin', 'x={"status":42}']);
    expect(bad.status).toBe(1);
    expect(bad.output.trim()).toMatch(/^authbin: invalid --bin "x": "status" must be/);
  });

  it('does not print captured credentials', async () => {
    const server = await startServer();
    try {
      await fetch(`${server.url}/b/quiet`, { method: 'POST', headers: { Authorization: 'Bearer super-secret-token-value' }, body: 'password=hunter2' });
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toMatch(/super-secret|hunter2/);
  });

  it('prints every option for serve --help on stdout and exits 0, as for the other commands', () => {
    const result = spawnSync(process.execPath, [cli, 'serve', '--help'], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 10_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: authbin \[serve\] \[options\]/);
    expect(result.stdout).toContain('--durability normal|full');
  });

  it('refuses bad configuration with one clear line and no stack trace', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--port', 'abc'], {}, /invalid port "abc"/],
      [['--host', '0.0.0.0', '--port', '0'], {}, /AUTHBIN_TOKEN/],
    ];
    for (const [args, env, pattern] of cases) {
      const { status, output } = refused(args, env);
      expect(status, output).not.toBe(0);
      expect(output).toMatch(pattern);
      expect(output.trim().split('\n')).toHaveLength(1);
      expect(output).not.toMatch(/\n\s+at /);
    }
  });

  it('says so in one line when the port is taken', async () => {
    const server = await startServer();
    try {
      const { status, output } = refused(['--port', new URL(server.url).port, '--db', join(dir, 'busy.db')]);
      expect(status).toBe(1);
      expect(output.trim()).toMatch(/^authbin: port \d+ on 127\.0\.0\.1 is in use/);
    } finally {
      await server.stop();
    }
  });

  it('refuses an unwritable database path, and a file that is not SQLite (leaving it untouched)', () => {
    // root can write anywhere; a path under a regular file is unwritable for everyone.
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const unwritable = refused(['--port', '0', '--db', join(notADir, 'authbin.db')]);
    expect(unwritable.status).toBe(1);
    expect(unwritable.output).toMatch(/^authbin: cannot open database .*plain-file\/authbin\.db/);
    expect(unwritable.output.trim().split('\n')).toHaveLength(1);

    const notes = join(dir, 'notes.db');
    writeFileSync(notes, 'not a database at all\n'.repeat(200));
    const corrupt = refused(['--port', '0', '--db', notes]);
    expect(corrupt.status).toBe(1);
    expect(corrupt.output).toMatch(/notes\.db.*not an authbin SQLite database/);
    expect(readFileSync(notes, 'utf8')).toBe('not a database at all\n'.repeat(200));
  });
});
