import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api.ts';
import { fetchDetail, startTestApp, testEngines, type TestApp } from '../helpers/app.ts';
import { parseResponses } from '../reliability/support/http-responses.ts';

const strictSandbox = "sandbox; default-src 'none'";

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Writes `requests` back to back on one keep-alive connection (the last one closes it) and returns every byte the server sent. */
function onOneSocket(base: string, requests: string[]): Promise<Buffer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.end(requests.join(''));
  });
}

describe.each(testEngines())('bin responses on $name', (engine) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BODY_BYTES: '1024' });
    base = await t.listen();
  });
  afterAll(() => t.close());

  async function refusal(response: unknown): Promise<string> {
    const answer = await t.app.request('/api/bins/refused', json({ response }, 'PATCH'));
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(answer.status, JSON.stringify(response)).toBe(400);
    expect(body.error.code).toBe('invalid_response');
    return body.error.message;
  }

  describe('what a bin response may set', () => {
    beforeAll(async () => {
      await t.app.request('/api/bins', json({ id: 'refused' }));
    });

    it.each([
      ['Content-Length', '2'],
      ['transfer-encoding', 'chunked'],
      ['Connection', 'close'],
      ['Keep-Alive', 'timeout=5'],
      ['Upgrade', 'websocket'],
      ['Trailer', 'X-Sum'],
      ['Proxy-Connection', 'keep-alive'],
      ['TE', 'trailers'],
    ])('refuses the framing or hop-by-hop header %s', async (name, value) => {
      expect(await refusal({ headers: { [name]: value } })).toContain(`"${name}"`);
    });

    it.each([
      ['a\u2028b', 'U+2028'],
      ['a\vb', 'U+000B'],
      ['a\u0100', 'U+0100'],
      ['caf\u00e9', 'U+00E9'],
      ['a\x7fb', 'U+007F'],
      ['a\0b', 'U+0000'],
      ['a\r\nInjected: 1', 'U+000D'],
      [' padded', 'space or tab'],
      ['padded\t', 'space or tab'],
    ])('refuses the header value %j, naming what is wrong', async (value, said) => {
      expect(await refusal({ headers: { 'X-Value': value } })).toContain(said);
    });

    it.each(['X Space', 'X:Colon', 'Ünicode', ''])('refuses the header name %j', async (name) => {
      expect(await refusal({ headers: { [name]: 'v' } })).toMatch(/not a valid header name/);
    });

    it.each([
      'authbin_session=forged',
      'AUTHBIN_SESSION=forged; Path=/; HttpOnly',
      'authbin_session = forged; Max-Age=0',
      'authbin_session',
      'Authbin_Session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ])("refuses a Set-Cookie that sets authbin's own login cookie: %j", async (cookie) => {
      expect(await refusal({ headers: { 'Set-Cookie': cookie } })).toContain('authbin_session');
      expect(await refusal({ headers: { 'set-cookie': cookie } })).toContain('authbin_session');
    });

    it.each(['Content-Security-Policy', 'content-security-policy', 'X-Content-Type-Options', 'Clear-Site-Data'])('refuses %s, which authbin decides itself', async (name) => {
      expect(await refusal({ headers: { [name]: "script-src 'none'" } })).toContain(name);
    });

    it('refuses a status the server cannot send and an allowScripts that is not true or false', async () => {
      expect(await refusal({ status: 101 })).toContain('200 to 599');
      expect(await refusal({ status: 600 })).toContain('200 to 599');
      expect(await refusal({ allowScripts: 'yes' })).toContain('allowScripts');
    });

    it('refuses a body with 204, 205 and 304, and answers those statuses without one', async () => {
      for (const status of [204, 205, 304]) {
        expect(await refusal({ status, body: 'done' })).toBe(`a ${status} response has no body: leave "body" empty or pick another status`);
      }
      const answer = await t.app.request('/api/bins/refused', json({ response: { status: 204, headers: { 'X-Done': '1' }, body: '' } }, 'PATCH'));
      expect(answer.status).toBe(200);
      const served = await fetch(`${base}/b/refused`, { method: 'POST', body: 'x' });
      expect(served.status).toBe(204);
      expect(served.headers.get('x-done')).toBe('1');
      expect(await served.text()).toBe('');
    });

    it('keeps what is allowed: other cookies, inner tabs, empty values', async () => {
      const response = {
        status: 201,
        headers: { 'Set-Cookie': 'authbin_sessionx=1; Path=/', 'X-Tab': 'a\tb', 'X-Empty': '', 'Content-Type': 'text/html' },
        body: '<p>hi</p>',
        allowScripts: true,
      };
      const answer = await t.app.request('/api/bins/refused', json({ response }, 'PATCH'));
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as Bin).response).toEqual(response);

      const served = await fetch(`${base}/b/refused`);
      expect(served.status).toBe(201);
      expect(served.headers.get('set-cookie')).toBe('authbin_sessionx=1; Path=/');
      expect(served.headers.get('x-tab')).toBe('a\tb');
      expect(await served.text()).toBe('<p>hi</p>');
    });
  });

  describe('the sandbox every /b/ answer carries', () => {
    const sandboxed = (response: Response, csp = strictSandbox) => {
      expect(response.headers.get('content-security-policy'), `${response.status} ${response.url}`).toBe(csp);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    };

    it('on the default acknowledgement, a custom response, a preflight, a 413 and a bad bin name', async () => {
      sandboxed(await fetch(`${base}/b/plain`, { method: 'POST', body: 'x' }));

      await t.app.request('/api/bins', json({ id: 'page', response: { headers: { 'Content-Type': 'text/html' }, body: '<script>alert(1)</script>' } }));
      sandboxed(await fetch(`${base}/b/page`));
      sandboxed(await fetch(`${base}/b/page`, { method: 'HEAD' }));

      sandboxed(await fetch(`${base}/b/plain`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PUT' } }));

      const big = await fetch(`${base}/b/plain`, { method: 'POST', body: 'x'.repeat(2048) });
      expect(big.status).toBe(413);
      sandboxed(big);

      const bad = await fetch(`${base}/b/${'x'.repeat(65)}`);
      expect(bad.status).toBe(404);
      sandboxed(bad);
      sandboxed(await t.app.request('/b/'));
    });

    it('lets scripts run only when the bin asks for it, and never in authbin’s origin', async () => {
      await t.app.request('/api/bins', json({ id: 'scripted', response: { headers: { 'Content-Type': 'text/html' }, body: '<script>1</script>', allowScripts: true } }));
      sandboxed(await fetch(`${base}/b/scripted`), 'sandbox allow-scripts');
      await t.app.request('/api/bins/scripted', json({ response: { allowScripts: false } }, 'PATCH'));
      sandboxed(await fetch(`${base}/b/scripted`));
    });
  });

  describe('settings stored before these rules', () => {
    it('skips the headers that would not pass and never answers 500', async () => {
      await t.app.request('/api/bins', json({ id: 'legacy' }));
      await t.store.updateBin('legacy', {
        response: {
          status: 202,
          headers: {
            'X-Kept': 'yes',
            'X-Line-Separator': 'a\u2028b',
            'X-Vertical-Tab': 'a\vb',
            'X-Wide': '\u0100',
            'Bad Name': 'v',
            'Transfer-Encoding': 'chunked',
            'Set-Cookie': 'authbin_session=forged; Path=/',
            'Content-Security-Policy': 'script-src *',
          },
          body: 'legacy body',
        },
      });
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${base}/b/legacy`, { method: 'POST', body: 'x' });
        expect(response.status).toBe(202);
        expect(await response.text()).toBe('legacy body');
        expect(response.headers.get('x-kept')).toBe('yes');
        for (const name of ['x-line-separator', 'x-vertical-tab', 'x-wide', 'set-cookie']) expect(response.headers.get(name), name).toBeNull();
        expect(response.headers.get('content-security-policy')).toBe(strictSandbox);
      }
      expect(((await (await t.app.request('/api/bins/legacy')).json()) as Bin).requestCount).toBe(2);
    });

    it('keeps a keep-alive connection intact when a stored response claimed its own Content-Length', async () => {
      await t.app.request('/api/bins', json({ id: 'framing' }));
      await t.store.updateBin('framing', { response: { headers: { 'Content-Length': '2' }, body: 'hello world' } });
      const wire = await onOneSocket(base, [
        'GET /b/framing HTTP/1.1\r\nHost: h\r\n\r\n',
        'GET /b/plain/next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
      ]);
      const { responses, rest } = parseResponses(wire, true);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(responses[0]!.body.toString()).toBe('hello world');
      expect(JSON.parse(responses[1]!.body.toString())).toMatchObject({ ok: true });
      expect(rest.length).toBe(0);
    });
  });

  describe("authbin's own login cookie in a capture", () => {
    async function storedCookies(cookieHeaders: string[]): Promise<[string, string][]> {
      const lines = cookieHeaders.map((value) => `Cookie: ${value}\r\n`).join('');
      const wire = await onOneSocket(base, [`GET /b/cookies HTTP/1.1\r\nHost: h\r\nX-Before: 1\r\n${lines}X-After: 2\r\nConnection: close\r\n\r\n`]);
      const [response] = parseResponses(wire, true).responses;
      const { headers } = await fetchDetail(base, (JSON.parse(response!.body.toString()) as { id: string }).id);
      return headers.filter(([name]) => name !== 'Host' && name !== 'Connection');
    }

    it('is taken out of the Cookie header; the other cookies keep their place', async () => {
      expect(await storedCookies(['a=1; authbin_session=xyz; b=2'])).toEqual([
        ['X-Before', '1'],
        ['Cookie', 'a=1; b=2'],
        ['X-After', '2'],
      ]);
      expect(await storedCookies(['authbin_session=xyz; a=1', 'b=2;authbin_session=abc'])).toEqual([
        ['X-Before', '1'],
        ['Cookie', 'a=1'],
        ['Cookie', 'b=2'],
        ['X-After', '2'],
      ]);
    });

    it('takes the Cookie header away when nothing else is left, and leaves look-alikes alone', async () => {
      expect(await storedCookies(['authbin_session=xyz'])).toEqual([
        ['X-Before', '1'],
        ['X-After', '2'],
      ]);
      expect(await storedCookies(['my_authbin_session=1; authbin_sessionx=2; x=authbin_session=3'])).toEqual([
        ['X-Before', '1'],
        ['Cookie', 'my_authbin_session=1; authbin_sessionx=2; x=authbin_session=3'],
        ['X-After', '2'],
      ]);
    });
  });
});
