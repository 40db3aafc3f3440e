import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../shared/api.ts';
import { startServer } from '../helpers/server.ts';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'server', 'cli', 'main.js');
let dir: string;
let certFile: string;
let keyFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'authbin-e2e-tls-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh self-signed certificate for 127.0.0.1, written over the files the server was given; returns its PEM. */
function newCertificate(): string {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=authbin test', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return readFileSync(certFile, 'utf8');
}

/** An HTTPS request trusting only `ca`; resolves with the response and the certificate the server showed. */
function send(url: string, ca: string, options: RequestOptions & { body?: string } = {}): Promise<{ res: IncomingMessage; peer: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false, ...options }, (res) => {
      resolve({ res, peer: (res.socket as TLSSocket).getPeerX509Certificate()!.fingerprint256 });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function json<T>(res: IncomingMessage): Promise<T> {
  let text = '';
  for await (const chunk of res) text += chunk;
  return JSON.parse(text) as T;
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

describe('built-in TLS (--tls-cert, --tls-key)', () => {
  it('serves HTTPS, records https URLs, and takes a renewed certificate on SIGHUP without dropping open streams', async () => {
    const first = newCertificate();
    const server = await startServer({ args: ['--tls-cert', certFile, '--tls-key', keyFile] });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const captured = await send(`${server.url}/b/tls/hook?x=1`, first, { method: 'POST', body: 'hello' });
      expect(captured.peer).toBe(fingerprint(first));
      const { id } = await json<{ id: string }>(captured.res);
      const detail = await json<RequestDetail>((await send(`${server.url}/api/requests/${id}`, first)).res);
      expect(detail.url).toBe(`${server.url}/b/tls/hook?x=1`);

      // An event stream opened on the first certificate…
      const stream = (await send(`${server.url}/api/bins/tls/events`, first)).res;
      let events = '';
      stream.on('data', (chunk: Buffer) => (events += chunk.toString()));

      const second = newCertificate();
      server.process.kill('SIGHUP');
      await expect.poll(() => server.output()).toContain('authbin: TLS certificate reloaded');
      // …new connections get the renewed certificate, and clients that trust only the old one are refused.
      const renewed = await send(`${server.url}/b/tls/after-renewal`, second, { method: 'POST', body: 'again' });
      expect(renewed.peer).toBe(fingerprint(second));
      const { id: afterId } = await json<{ id: string }>(renewed.res);
      await expect(send(`${server.url}/healthz`, first)).rejects.toThrow(/self.signed|certificate/i);
      // …and the stream opened before the reload is still open and gets the new capture.
      await expect.poll(() => events, { timeout: 5_000 }).toContain(`id: ${afterId}`);

      // A broken pair on a later SIGHUP is reported, and the certificate in use is kept.
      writeFileSync(keyFile, 'not a key');
      server.process.kill('SIGHUP');
      await expect.poll(() => server.output()).toContain('authbin: kept the previous TLS certificate');
      expect((await send(`${server.url}/healthz`, second)).peer).toBe(fingerprint(second));
      stream.destroy();
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).not.toContain('hello');
  });

  it('refuses to start with one clear line when a file is missing or only one of the two is given', () => {
    newCertificate();
    const run = (args: string[]) => spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--db', join(dir, 'refused.db'), ...args], { encoding: 'utf8', timeout: 10_000 });
    const missing = run(['--tls-cert', join(dir, 'nope.pem'), '--tls-key', keyFile]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`authbin: cannot read the TLS certificate ${join(dir, 'nope.pem')}: ENOENT\n`);
    const half = run(['--tls-cert', certFile]);
    expect(half.status).toBe(1);
    expect(half.stderr).toMatch(/^authbin: HTTPS needs both --tls-cert and --tls-key/);
  });
});
