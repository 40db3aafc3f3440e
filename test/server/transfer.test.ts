import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bin, RequestPage } from '../../shared/api.ts';
import type { StoredRequest } from '../../server/store/store.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';
import { sendRaw } from '../helpers/raw-http.ts';

describe.each(testEngines())('export and import on $name', (engine) => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await startTestApp(engine);
    base = await t.listen();
  });
  afterEach(() => t.close());

  async function fill(): Promise<void> {
    await sendRaw(base, Buffer.concat([
      Buffer.from('POST /b/trip/hook?a=1&b=%20 HTTP/1.1\r\nHost: h\r\nX-Cafe: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\nauthorization: Basic YTpi\r\nContent-Length: 4\r\nConnection: close\r\n\r\n'),
      Buffer.from([0, 1, 254, 255]),
    ]));
    await fetch(`${base}/b/trip/json`, { method: 'PUT', body: '{"é":1}', headers: { 'content-type': 'application/json' } });
    await fetch(`${base}/b/trip`, { method: 'DELETE' });
  }

  /** Everything that must survive a round trip, ids aside. */
  const essence = (r: StoredRequest) => ({ ...r, id: undefined, body: Buffer.from(r.body).toString('base64') });

  async function storedRequests(bin: string) {
    const page = (await (await fetch(`${base}/api/bins/${bin}/requests?limit=500`)).json()) as RequestPage;
    return Promise.all(page.requests.reverse().map(async (r) => essence((await t.store.getRequest(r.id))!)));
  }

  describe('export and import', () => {
    it.each(['ndjson', 'har'])('round-trips a bin through %s byte for byte', async (format) => {
      await fill();
      const before = await storedRequests('trip');
      const exported = await fetch(`${base}/api/bins/trip/export?format=${format}`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="trip.${format}"`);
      const file = await exported.text();

      expect((await fetch(`${base}/api/bins/trip`, { method: 'DELETE' })).status).toBe(204);
      const imported = await fetch(`${base}/api/bins/trip/import`, { method: 'POST', body: file });
      expect(imported.status).toBe(201);
      expect(((await imported.json()) as { imported: number }).imported).toBe(3);
      expect(await storedRequests('trip')).toEqual(before);
      expect(((await (await fetch(`${base}/api/bins/trip`)).json()) as Bin).requestCount).toBe(3);
    });

    it('writes HAR 1.2 that other tools read', async () => {
      await fill();
      const har = (await (await fetch(`${base}/api/bins/trip/export?format=har`)).json()) as {
        log: { version: string; creator: { name: string }; entries: { startedDateTime: string; request: Record<string, unknown>; response: { status: number }; timings: object; cache: object }[] };
      };
      expect(har.log.version).toBe('1.2');
      expect(har.log.entries).toHaveLength(3);
      const [binary, json] = har.log.entries;
      expect(binary!.request).toMatchObject({
        method: 'POST',
        url: `${base}/b/trip/hook?a=1&b=%20`,
        httpVersion: 'HTTP/1.1',
        queryString: [{ name: 'a', value: '1' }, { name: 'b', value: ' ' }],
        postData: { text: Buffer.from([0, 1, 254, 255]).toString('base64'), encoding: 'base64' },
        bodySize: 4,
        headersSize: -1,
        cookies: [],
      });
      expect(json!.request).toMatchObject({ method: 'PUT', postData: { mimeType: 'application/json', text: '{"é":1}' } });
      for (const entry of har.log.entries) {
        expect(Date.parse(entry.startedDateTime)).not.toBeNaN();
        expect(entry).toHaveProperty('timings');
        expect(entry).toHaveProperty('cache');
        expect(entry.response.status).toBe(0);
      }
    });

    it("imports a HAR saved by a browser's developer tools", async () => {
      const har = {
        log: {
          version: '1.2',
          creator: { name: 'WebInspector', version: '537.36' },
          entries: [{
            startedDateTime: '2026-11-01T10:00:00.000Z',
            request: {
              method: 'POST',
              url: 'https://example.zendesk.com/api/v2/tickets.json?async=true',
              httpVersion: 'HTTP/2',
              headers: [{ name: 'authorization', value: 'Basic bWVAZXhhbXBsZS5jb20vdG9rZW46YWJj' }, { name: 'content-type', value: 'application/json' }],
              postData: { mimeType: 'application/json', text: '{"ticket":{}}' },
            },
          }],
        },
      };
      const response = await fetch(`${base}/api/bins/from-devtools/import`, { method: 'POST', body: JSON.stringify(har) });
      expect(response.status).toBe(201);
      const [id] = ((await response.json()) as { ids: string[] }).ids;
      const detail = (await (await fetch(`${base}/api/requests/${id}`)).json()) as { path: string; query: string; receivedAt: string; analysis: { basic: { email: string } } };
      expect(detail).toMatchObject({ path: '/api/v2/tickets.json', query: 'async=true', receivedAt: '2026-11-01T10:00:00.000Z', analysis: { basic: { email: 'me@example.com' } } });
    });

    it('refuses a broken file with the line at fault, storing nothing', async () => {
      await fill();
      const file = await (await fetch(`${base}/api/bins/trip/export?format=ndjson`)).text();
      const lines = file.trim().split('\n');
      lines[1] = lines[1]!.replace('"method":"PUT"', '"method":"P T"');
      const response = await fetch(`${base}/api/bins/broken/import`, { method: 'POST', body: lines.join('\n') });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^line 2: "method"/);
      expect((await fetch(`${base}/api/bins/broken`)).status).toBe(404);

      for (const body of ['', 'not json', '{"log":{}}']) {
        expect((await fetch(`${base}/api/bins/broken/import`, { method: 'POST', body })).status, body).toBe(400);
      }
    });

    it('answers 404 for a bin that does not exist and 400 for an unknown format', async () => {
      expect((await fetch(`${base}/api/bins/nope/export`)).status).toBe(404);
      await fill();
      expect((await fetch(`${base}/api/bins/trip/export?format=csv`)).status).toBe(400);
    });
  });
});
