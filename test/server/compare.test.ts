import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, CompareResult } from '../../shared/api.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';
import { curlWithBase64 } from '../helpers/curl-base64.ts';
import { sendRaw } from '../helpers/raw-http.ts';

const email = 'jane@example.com';
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
describe.each(testEngines())('GET /api/compare on $name', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(engine);
  });
  afterEach(() => t.close());

  async function capture(path: string, init?: RequestInit): Promise<string> {
    const response = await t.app.request(path, init);
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  }

  async function compare(query: string): Promise<{ status: number; body: CompareResult & ApiError }> {
    const response = await t.app.request(`/api/compare?${query}`);
    return { status: response.status, body: (await response.json()) as CompareResult & ApiError };
  }

  it('says what differs between two requests of two bins, credentials masked', async () => {
    const works = await capture('/b/works/tickets.json', { headers: { Authorization: basic(`${email}/token:${token}`) } });
    const fails = await capture('/b/fails/tickets.json', { headers: { Authorization: basic(`${email}/token:${token}\n`), 'X-Extra': '1' } });
    const { status, body } = await compare(`a=${works}&b=${fails}`);
    expect(status).toBe(200);
    expect(body.same).toBe(false);
    expect(body.summary).toEqual(["Same credentials, but B's API token ends with a line break", 'Headers differ: x-extra (added)']);
    expect(body.requests).toMatchObject({ a: { id: works, bin: 'works' }, b: { id: fails, bin: 'fails' } });
    expect(body.authorization).toMatchObject({ same: false, summary: ["Same credentials, but B's API token ends with a line break"], firstDifference: 41 });
    // app.request() goes through fetch's Headers, which lower-case every name.
    expect(body.headers.find((h) => h.name === 'authorization')).toEqual({
      name: 'authorization',
      change: 'changed',
      a: ['Basic •••••••• (84 characters)'],
      b: ['Basic •••••••• (88 characters)'],
    });
    expect(body.headers.find((h) => h.name === 'x-extra')).toEqual({ name: 'x-extra', change: 'added', a: [], b: ['1'] });
    expect(body.body).toEqual({ kind: 'text', same: true, sameBytes: true, changes: [] });
    const text = JSON.stringify(body);
    for (const secret of [token, Buffer.from(`${email}/token:${token}`).toString('base64')]) expect(text).not.toContain(secret);
  });

  it('says a request curl sent with base64 wrapped was refused by the HTTP parser, and why, comparing its head and no body', async () => {
    const base = await t.listen();
    const credentials = `jane.roe@example.com/token:${token}`;
    const good = await curlWithBase64(`${base}/b/works/api/v2/users/me.json`, credentials, '-w0');
    const refused = await curlWithBase64(`${base}/b/fails/api/v2/users/me.json`, credentials, '');
    const { status, body } = await compare(`a=${good}&b=${refused}`);
    expect(status).toBe(200);
    expect(body.same).toBe(false);
    expect(body.summary[0]).toMatch(/^B was refused by the HTTP parser: the Authorization header contains a line break where base64 wrapped it at 76 columns\. Send exactly .*base64 -w0/);
    expect(body.refusal).toMatchObject({ same: false, a: null, b: { code: 'HPE_CR_EXPECTED', explanation: expect.stringContaining('line break where base64 wrapped it at 76 columns') } });
    // Its head as read from the bytes that arrived: the same method, path and headers, but for Authorization, whose line break is named.
    expect([body.method, body.path]).toEqual([
      { same: true, a: 'GET', b: 'GET' },
      { same: true, a: '/api/v2/users/me.json', b: '/api/v2/users/me.json' },
    ]);
    expect(body.headers.filter((h) => h.change !== 'same')).toEqual([{ name: 'Authorization', change: 'changed', a: ['Basic •••••••• (92 characters)'], b: ['Basic •••••••• (93 characters)'] }]);
    expect(body.headers.map((h) => h.name)).toEqual(['Host', 'User-Agent', 'Accept', 'Authorization']);
    expect(body.authorization.summary.join(' ')).toMatch(/line break/);
    expect(body.authorization.onlyInB.map((f) => f.code)).toContain('whitespace');
    // No body shown for it: what it stores in place of one is its head.
    expect(body.body).toEqual({ kind: 'refused', same: false, sameBytes: false, refused: ['b'] });
    expect(JSON.stringify(body)).not.toContain('HTTP/1.1');
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('counts header name case and order only with ?strict=1', async () => {
    // Sent raw: fetch would lower-case the names.
    const base = await t.listen();
    const raw = async (name: string) => {
      const response = await sendRaw(base, `GET /b/one HTTP/1.1\r\nHost: 127.0.0.1\r\n${name}: 1\r\nConnection: close\r\n\r\n`);
      return (JSON.parse(response.body) as { id: string }).id;
    };
    const a = await raw('X-Trace');
    const b = await raw('x-trace');
    const loose = await compare(`a=${a}&b=${b}`);
    expect(loose.body).toMatchObject({ same: true, summary: [], headerNotes: ['Header name case differs: A sends "X-Trace", B sends "x-trace"'] });
    const strict = await compare(`a=${a}&b=${b}&strict=1`);
    expect(strict.body).toMatchObject({ same: false, summary: ['Header name case differs: A sends "X-Trace", B sends "x-trace"'] });
  });

  it('compares JSON by path and names the body as what a Zendesk signature no longer covers', async () => {
    const secret = 'zendesk-secret';
    const timestamp = '2026-01-01T00:00:00Z';
    const signed = (body: string) => ({
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
        'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
      },
    });
    const sent = await capture('/b/hooks/zendesk', signed('{"ticket": {"id": 7, "status": "open"}}'));
    const resent = await capture('/b/hooks/zendesk', signed('{"ticket":{"status":"open","id":7}}'));
    const { body } = await compare(`a=${sent}&b=${resent}`);
    expect(body.body).toEqual({ kind: 'json', same: true, sameBytes: false, changes: [] });
    expect(body.signatures).toEqual({
      schemes: [{ scheme: 'zendesk', sameSignature: false, differentInputs: ['body'], bodyUnknown: false, summary: 'Zendesk signatures are over different inputs: the body bytes (the same JSON, written differently)' }],
      onlyInA: [],
      onlyInB: [],
      summary: ['Zendesk signatures are over different inputs: the body bytes (the same JSON, written differently)'],
    });
    expect(body.summary.at(-1)).toBe('The bodies are the same JSON, written with different bytes (a signature over the body tells them apart)');
  });

  it('answers 400 for a missing or malformed id or strict flag, and 404 for an unknown one', async () => {
    const a = await capture('/b/one');
    expect(await compare(`a=${a}`)).toEqual({
      status: 400,
      body: { error: { code: 'missing_id', message: 'missing ?b=: compare two requests with /api/compare?a={id}&b={id} (add &strict=1 to count header name case and order)' } },
    });
    expect(await compare('')).toMatchObject({ status: 400, body: { error: { code: 'missing_id' } } });
    expect(await compare(`a=${a}&b=abc`)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_id', message: 'invalid request id in ?b= "abc": expected a positive whole number' } },
    });
    expect(await compare(`a=${a}&b=${a}&strict=maybe`)).toMatchObject({ status: 400, body: { error: { code: 'invalid_strict', message: '"strict" must be 1 or 0, not "maybe"' } } });
    const unknown = String(Number(a) + 1000);
    expect(await compare(`a=${unknown}&b=${a}`)).toEqual({
      status: 404,
      body: { error: { code: 'request_not_found', message: `no request with id ${unknown} (request A): it was deleted, expired, or never existed` } },
    });
  });

  it('finds nothing between a request and itself', async () => {
    const a = await capture('/b/one/path?x=1&x=2', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' }, body: 'line\r\n' });
    const { body } = await compare(`a=${a}&b=${a}&strict=1`);
    expect(body).toMatchObject({ same: true, summary: [] });
    expect(JSON.stringify(body)).not.toContain(token);
  });
});
