import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin, RequestDetail } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { report } from './support/api.ts';

const token = 'reliability-security-token-0123456789';
const auth = { Authorization: `Bearer ${token}` };
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { AUTHBIN_TOKEN: token } });
});
afterAll(async () => {
  await server.stop();
});

/** Fails, without printing the secret, when `text` holds it. */
function expectNoSecret(text: string, secret: string, where: string): void {
  const at = text.indexOf(secret);
  expect(at, `${where} holds the ${secret.length}-character secret at character ${at}`).toBe(-1);
}

async function captureId(path: string, init: RequestInit): Promise<string> {
  const response = await fetch(`${server.url}${path}`, init);
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

describe('secrets in error messages and logs', () => {
  it('never echoes a wrong token, the right token or a signing secret, in answers or in the log', async () => {
    const wrong = ['wrong-token-that-must-not-echo-4711', `${token}x`, token.slice(0, -1), `${token} `.repeat(2)];
    const answers: string[] = [];
    for (const guess of wrong) {
      const attempts: Record<string, string>[] = [
        { Authorization: `Bearer ${guess}` },
        { Authorization: `Basic ${Buffer.from(`me:${guess}`).toString('base64')}` },
        { Cookie: `authbin_session=${guess}` },
      ];
      for (const headers of attempts) {
        const response = await fetch(`${server.url}/api/bins`, { headers });
        expect(response.status).toBe(401);
        answers.push(`${JSON.stringify([...response.headers])} ${await response.text()}`);
      }
      const login = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ token: guess, next: '/' }), redirect: 'manual' });
      expect(login.status).toBe(401);
      answers.push(await login.text());
    }
    // A signing secret given to verify: used once, never shown back, also when the call is refused.
    const secret = 'whsec_never-echo-this-signing-secret-42';
    const id = await captureId('/b/signed', { method: 'POST', body: '{}', headers: { 'X-Zendesk-Webhook-Signature': 'abc=', 'X-Zendesk-Webhook-Signature-Timestamp': '2026-01-01T00:00:00Z' } });
    for (const body of [{ secret }, { secret, scheme: 'no-such-scheme' }, { secret, url: 'not a url' }, { secret, scheme: 'zendesk', url: 'https://example.test/b/signed' }]) {
      const response = await fetch(`${server.url}/api/requests/${id}/verify`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBeLessThan(500);
      answers.push(await response.text());
    }
    for (const [i, answer] of answers.entries()) {
      for (const guess of wrong) expectNoSecret(answer, guess.trim(), `answer ${i}`);
      expectNoSecret(answer, token, `answer ${i}`);
      expectNoSecret(answer, secret, `answer ${i}`);
    }
    for (const guess of wrong) expectNoSecret(server.output(), guess.trim(), 'the server log');
    expectNoSecret(server.output(), token, 'the server log');
    expectNoSecret(server.output(), secret, 'the server log');
    report(`secrets: ${answers.length} refused or verified answers checked, no token, guess or signing secret echoed or logged`);
  });
});

describe('random bin ids', () => {
  it('carry at least 128 random bits', async () => {
    const count = 256;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${server.url}/api/bins`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as Bin).id);
    }
    expect(new Set(ids).size).toBe(count);
    const decoded = ids.map((id) => Buffer.from(id, 'base64url'));
    for (const [i, bytes] of decoded.entries()) {
      expect(ids[i]).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(bytes.length * 8, ids[i]).toBeGreaterThanOrEqual(128);
    }
    // Each of the first 128 bit positions is sometimes 0 and sometimes 1: none is fixed or a counter's high bits.
    const stuck: number[] = [];
    for (let bit = 0; bit < 128; bit++) {
      const ones = decoded.filter((bytes) => (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1).length;
      if (ones === 0 || ones === count) stuck.push(bit);
    }
    expect(stuck).toEqual([]);
    report(`bin ids: ${count} ids of ${decoded[0]!.length * 8} bits, all distinct, no bit position fixed`);
  });
});

describe('what the UI is served with', () => {
  it('sends CSP without inline script, nosniff, no-referrer and DENY on every page, asset and API answer', async () => {
    const index = await (await fetch(`${server.url}/`, { headers: auth })).text();
    const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    // Every script is a file: no inline <script> body for the CSP to have to allow.
    for (const [, attributes, body] of index.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(attributes).toMatch(/\ssrc="/);
      expect(body!.trim()).toBe('');
    }
    const urls = ['/', '/bins/some-bin', '/bins/some-bin/requests/1', '/decode', '/login', '/login.css', '/favicon.svg', ...assets, '/api/bins', '/api/nope'];
    for (const path of urls) {
      const response = await fetch(`${server.url}${path}`, { headers: path === '/login' ? {} : auth, redirect: 'manual' });
      await response.arrayBuffer();
      expect(response.status, path).toBeLessThan(500);
      const csp = response.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? /default-src ([^;]+)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, `${path}: script-src`).not.toBe('');
      expect(scriptSrc, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
    report(`UI headers: ${urls.length} pages, assets and API answers carry CSP (no inline script), nosniff, no-referrer, DENY`);
  });

  it('serves a captured body only as a download, whatever its type', async () => {
    const html = '<!doctype html><script>alert(document.cookie)</script>';
    const id = await captureId('/b/xss-body', { method: 'POST', body: html, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    const svgId = await captureId('/b/xss-body', { method: 'POST', body: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', headers: { 'Content-Type': 'image/svg+xml', 'Content-Encoding': 'identity' } });
    for (const path of [`/api/requests/${id}/body`, `/api/requests/${id}/body?decoded=1`, `/api/requests/${id}/raw`, `/api/requests/${svgId}/body`, `/api/requests/${svgId}/body?decoded=1`]) {
      const response = await fetch(`${server.url}${path}`, { headers: auth });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-disposition'), path).toMatch(/^attachment(;|$)/);
      expect(response.headers.get('content-type'), path).not.toMatch(/html|svg|xml|javascript/);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), path).toMatch(/sandbox/);
      await response.arrayBuffer();
    }
    const detail = await fetch(`${server.url}/api/requests/${id}`, { headers: auth });
    expect(detail.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('--trust-proxy', () => {
  const forwarded = { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1', 'X-Forwarded-Proto': 'https' };

  async function remoteAndCookie(target: RunningServer): Promise<{ detail: RequestDetail; cookie: string }> {
    const captured = await fetch(`${target.url}/b/proxied`, { method: 'POST', headers: forwarded });
    const { id } = (await captured.json()) as { id: string };
    const detail = (await (await fetch(`${target.url}/api/requests/${id}`, { headers: auth })).json()) as RequestDetail;
    const login = await fetch(`${target.url}/login`, { method: 'POST', headers: forwarded, body: new URLSearchParams({ token, next: '/' }), redirect: 'manual' });
    expect(login.status).toBe(303);
    return { detail, cookie: login.headers.get('set-cookie') ?? '' };
  }

  it('is off by default: X-Forwarded-For and -Proto are not believed', async () => {
    const { detail, cookie } = await remoteAndCookie(server);
    expect(detail.remoteAddress).toBe('127.0.0.1');
    expect(detail.remotePort).toBeGreaterThan(0);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('when given, takes the client address and scheme from the proxy', async () => {
    const proxied = await startServer({ env: { AUTHBIN_TOKEN: token }, args: ['--trust-proxy'] });
    try {
      const { detail, cookie } = await remoteAndCookie(proxied);
      expect(detail.remoteAddress).toBe('203.0.113.7');
      expect(cookie).toMatch(/;\s*Secure/i);
    } finally {
      await proxied.stop();
    }
  });
});
