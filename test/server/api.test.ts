import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bin, BinList, RequestPage } from '../../shared/api.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

const json = (body: unknown, init: RequestInit = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  ...init,
});

describe.each(testEngines())('the API on $name', (engine) => {
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

  describe('health and errors', () => {
    it('answers /healthz', async () => {
      const response = await t.app.request('/healthz');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    });

    it('answers unknown API routes with a JSON 404', async () => {
      const response = await t.app.request('/api/nope');
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });
  });

  describe('bins', () => {
    it('creates, lists, reads, changes and deletes a bin', async () => {
      const created = await t.app.request('/api/bins', json({ id: 'zendesk' }));
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ id: 'zendesk', requestCount: 0, lastRequestAt: null, response: null });

      expect((await t.app.request('/api/bins', json({ id: 'zendesk' }))).status).toBe(409);

      await capture('/b/zendesk/hook', { method: 'POST', body: 'x' });
      const list = (await (await t.app.request('/api/bins')).json()) as BinList;
      expect(list.bins).toHaveLength(1);
      expect(list.bins[0]).toMatchObject({ id: 'zendesk', requestCount: 1 });
      expect(list.bins[0]!.lastRequestAt).not.toBeNull();

      const patched = await t.app.request('/api/bins/zendesk', json({ response: { status: 503, headers: { 'Retry-After': '7' }, body: 'try later' } }, { method: 'PATCH' }));
      expect(patched.status).toBe(200);
      expect(((await patched.json()) as Bin).response).toEqual({ status: 503, headers: { 'Retry-After': '7' }, body: 'try later' });

      const deleted = await t.app.request('/api/bins/zendesk', { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect((await t.app.request('/api/bins/zendesk')).status).toBe(404);
      expect(((await (await t.app.request('/api/bins')).json()) as BinList).bins).toHaveLength(0);
    });

    it('gives a new bin an unguessable id of 128 bits when none is asked for', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const bin = (await (await t.app.request('/api/bins', json({}))).json()) as Bin;
        expect(bin.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
        ids.add(bin.id);
      }
      expect(ids.size).toBe(20);
    });

    it('creates a bin on its first request', async () => {
      await capture('/b/first-request', { method: 'PUT' });
      expect(((await (await t.app.request('/api/bins/first-request')).json()) as Bin).requestCount).toBe(1);
    });

    it('rejects bad input with clear 4xx errors', async () => {
      const cases: [string, RequestInit, number, string][] = [
        ['/api/bins', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
        ['/api/bins', json({ id: 'bad id!' }), 400, 'invalid_bin_id'],
        ['/api/bins', json([1, 2]), 400, 'invalid_input'],
        ['/api/bins', json({ response: { status: 42 } }), 400, 'invalid_response'],
        ['/api/bins', json({ response: { delayMs: 30_001 } }), 400, 'invalid_response'],
        ['/api/bins', json({ response: { headers: { 'X-A': 'a\r\nInjected: 1' } } }), 400, 'invalid_response'],
        ['/api/bins', json({ response: { colour: 'red' } }), 400, 'invalid_response'],
        ['/api/bins/x/requests?before=abc', {}, 400, 'invalid_id'],
        ["/api/bins/x/requests?before=1'%20OR%201=1", {}, 400, 'invalid_id'],
        ['/api/bins/x/requests?limit=0', {}, 400, 'invalid_limit'],
        ['/api/bins/x/requests?limit=501', {}, 400, 'invalid_limit'],
        ['/api/requests/-1', {}, 400, 'invalid_id'],
        ['/api/requests/999999', {}, 404, 'request_not_found'],
        ['/api/bins/nope', {}, 404, 'bin_not_found'],
        ['/api/bins/nope', json({ response: null }, { method: 'PATCH' }), 404, 'bin_not_found'],
      ];
      for (const [path, init, status, code] of cases) {
        const response = await t.app.request(path, init);
        expect(response.status, path).toBe(status);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code, path).toBe(code);
        expect(body.error.message.length, path).toBeGreaterThan(5);
      }
    });
  });

  describe("a bin's own response", () => {
    it('answers with the status, headers, body and delay it was given, and null restores the default', async () => {
      await t.app.request('/api/bins', json({ id: 'flaky', response: { status: 429, headers: { 'Retry-After': '7' }, body: 'slow down', delayMs: 150 } }));
      const started = Date.now();
      const response = await t.app.request('/b/flaky', { method: 'POST', body: '{}' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.text()).toBe('slow down');
      // The request is stored all the same.
      expect(((await (await t.app.request('/api/bins/flaky')).json()) as Bin).requestCount).toBe(1);

      await t.app.request('/api/bins/flaky', json({ response: null }, { method: 'PATCH' }));
      const back = await t.app.request('/b/flaky', { method: 'POST' });
      expect(back.status).toBe(200);
      expect(await back.json()).toMatchObject({ ok: true });
    });
  });

  describe('CORS on bins', () => {
    it('answers a preflight with what it asked for, and records it', async () => {
      const response = await t.app.request('/b/cors/hook', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization, x-custom' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(response.headers.get('access-control-allow-methods')).toBe('PUT');
      expect(response.headers.get('access-control-allow-headers')).toBe('authorization, x-custom');
      const page = (await (await t.app.request('/api/bins/cors/requests')).json()) as RequestPage;
      expect(page.requests[0]).toMatchObject({ method: 'OPTIONS', path: '/hook' });
    });

    it('lets any origin read a bin response', async () => {
      const response = await t.app.request('/b/cors', { method: 'POST', headers: { Origin: 'https://other.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBe('https://other.example');
    });
  });

  describe('requests', () => {
    it('pages newest first with a keyset cursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(await capture(`/b/paged/${i}`, { method: 'POST' }));
      const first = (await (await t.app.request('/api/bins/paged/requests?limit=3')).json()) as RequestPage;
      expect(first.requests.map((r) => r.id)).toEqual(ids.slice(4).reverse());
      const second = (await (await t.app.request(`/api/bins/paged/requests?limit=3&before=${first.next}`)).json()) as RequestPage;
      expect(second.requests.map((r) => r.id)).toEqual(ids.slice(1, 4).reverse());
      const last = (await (await t.app.request(`/api/bins/paged/requests?limit=3&before=${second.next}`)).json()) as RequestPage;
      expect(last.requests.map((r) => r.id)).toEqual([ids[0]]);
      expect(last.next).toBeNull();
      expect(first.requests[0]).toMatchObject({ method: 'POST', path: '/6', query: '', bin: 'paged' });
    });

    it('summarises the Authorization header in the list', async () => {
      const header = `Basic ${Buffer.from('me@example.com/token:abc').toString('base64')}`;
      await capture('/b/auth', { method: 'POST', headers: { Authorization: header } });
      await capture('/b/auth', { method: 'POST' });
      const page = (await (await t.app.request('/api/bins/auth/requests')).json()) as RequestPage;
      expect(page.requests[1]!.auth).toMatchObject({ scheme: 'Basic', user: 'me@example.com', kind: 'api-token' });
      expect(page.requests[0]!.auth).toMatchObject({ scheme: null, user: null, kind: null });
    });

    it('includes the analysis in the detail', async () => {
      const id = await capture('/b/auth', { method: 'POST', headers: { Authorization: 'Basic Basic abc' } });
      const detail = (await (await t.app.request(`/api/requests/${id}`)).json()) as { analysis: { findings: { code: string }[] } };
      expect(detail.analysis.findings.map((f) => f.code)).toContain('doubled-scheme');
    });

    it('deletes one request, and clears a bin', async () => {
      const a = await capture('/b/clear', { method: 'POST' });
      await capture('/b/clear', { method: 'POST' });
      await capture('/b/clear', { method: 'POST' });
      expect((await t.app.request(`/api/requests/${a}`, { method: 'DELETE' })).status).toBe(204);
      expect((await t.app.request(`/api/requests/${a}`)).status).toBe(404);
      expect(((await (await t.app.request('/api/bins/clear')).json()) as Bin).requestCount).toBe(2);
      const cleared = await t.app.request('/api/bins/clear/requests', { method: 'DELETE' });
      expect(await cleared.json()).toEqual({ deleted: 2 });
      expect(((await (await t.app.request('/api/bins/clear')).json()) as Bin).requestCount).toBe(0);
    });
  });

  describe('POST /api/analyze', () => {
    it('analyses a header given as a string', async () => {
      const response = await t.app.request('/api/analyze', json({ authorization: `Basic ${Buffer.from('me@example.com:pw').toString('base64')}` }));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ present: true, scheme: 'basic', basic: { email: 'me@example.com', kind: 'password' } });
    });

    it('rejects what is not JSON or not header pairs', async () => {
      for (const body of ['nope', JSON.stringify({ headers: [['a']] }), JSON.stringify({ headers: 'x' }), JSON.stringify({ expected: { kind: 'magic' } })]) {
        const response = await t.app.request('/api/analyze', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        expect(response.status, body).toBe(400);
      }
    });
  });
});
