import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, Bin, RequestPage } from '../../shared/api.ts';
import { answerOf } from '../../server/rules/answer-of.ts';
import type { StoredRequest } from '../../server/store/store.ts';
import { fetchDetail, makeTestApp, startTestApp, testEngines, type TestApp } from '../helpers/app.ts';
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

  /** Everything that must survive a round trip, ids aside; the answer as told (a default one is kept written out). */
  const essence = (r: StoredRequest) => ({ ...r, id: undefined, body: Buffer.from(r.body).toString('base64'), answer: answerOf(r), answerRecorded: undefined });

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
      }
    });

    const json = (body: unknown, method: string): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    /** Three captures in bin "answered": by the default acknowledgement, by the bin's response (202), and by a rule (418). */
    async function captureAnsweredThreeWays() {
      await fetch(`${base}/b/answered/default`, { method: 'POST' });
      await fetch(`${base}/api/bins/answered`, json({ response: { status: 202 } }, 'PATCH'));
      await fetch(`${base}/b/answered/accepted`, { method: 'POST' });
      await fetch(`${base}/api/bins/answered/rules`, json({ rules: [{ name: 'teapot', when: [{ method: 'PUT' }], respond: { status: 418 } }] }, 'PUT'));
      await fetch(`${base}/b/answered/ruled`, { method: 'PUT' });
    }

    it("gives each HAR entry's response the status the sender was answered, and 0 where that was not recorded", async () => {
      await captureAnsweredThreeWays();
      // From a browser's developer tools: no authbin answered it.
      const devtools = { log: { version: '1.2', entries: [{ startedDateTime: '2026-11-01T10:00:00.000Z', request: { method: 'GET', url: 'https://example.com/x', headers: [] } }] } };
      expect((await fetch(`${base}/api/bins/answered/import`, { method: 'POST', body: JSON.stringify(devtools) })).status).toBe(201);

      const har = (await (await fetch(`${base}/api/bins/answered/export?format=har`)).json()) as {
        log: { entries: { request: { url: string }; response: { status: number; statusText: string; comment: string } }[] };
      };
      const responses = Object.fromEntries(har.log.entries.map((entry) => [new URL(entry.request.url).pathname, entry.response]));
      expect(responses).toEqual({
        '/b/answered/default': expect.objectContaining({ status: 200, statusText: 'OK', comment: "answered with the bin's response" }),
        '/b/answered/accepted': expect.objectContaining({ status: 202, statusText: 'Accepted', comment: "answered with the bin's response" }),
        '/b/answered/ruled': expect.objectContaining({ status: 418, statusText: "I'm a Teapot", comment: expect.stringMatching(/^answered by rule "teapot"/) }),
        '/b/answered/x': expect.objectContaining({ status: 0, statusText: '', comment: 'imported: answer not recorded' }),
      });
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
      // This authbin did not answer it: no status is made up.
      expect((await fetchDetail(base, id!)).answer).toEqual({ status: null, rule: null, reasons: ['imported: answer not recorded'] });
    });

    it.each(['ndjson', 'har'])('carries each request\'s answer through %s, and says when a file has none', async (format) => {
      await captureAnsweredThreeWays();
      const answersIn = async (bin: string) => {
        const page = (await (await fetch(`${base}/api/bins/${bin}/requests?limit=10`)).json()) as RequestPage;
        return Promise.all(page.requests.reverse().map(async (r) => (await fetchDetail(base, r.id)).answer));
      };
      const before = await answersIn('answered');
      expect(before.map((answer) => answer?.status)).toEqual([200, 202, 418]);
      // Changing the bin's response afterwards changes nothing of what was sent.
      await fetch(`${base}/api/bins/answered`, json({ response: { status: 500 } }, 'PATCH'));
      const file = await (await fetch(`${base}/api/bins/answered/export?format=${format}`)).text();
      expect((await fetch(`${base}/api/bins/copy/import`, { method: 'POST', body: file })).status).toBe(201);
      expect(await answersIn('copy')).toEqual(before);

      // An export by an authbin that did not record answers has none: its requests say so.
      if (format === 'ndjson') {
        const older = file.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record.authbin === 1).map(({ answer: _answer, ...record }) => JSON.stringify(record)).join('\n');
        expect((await fetch(`${base}/api/bins/older/import`, { method: 'POST', body: older })).status).toBe(201);
        expect(await answersIn('older')).toEqual(before.map(() => ({ status: null, rule: null, reasons: ['imported: answer not recorded'] })));
      }
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

describe.each(testEngines())('import past the body cap on $name', (engine) => {
  const cap = 1024;
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BODY_BYTES: String(cap) });
    base = await t.listen();
  });
  afterAll(() => t.close());

  const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  const record = (fields: Record<string, unknown>) =>
    JSON.stringify({
      authbin: 1, id: '1', bin: 'x', receivedAt: '2026-11-01T10:00:00.000Z', method: 'POST', path: '/', query: '', httpVersion: '1.1',
      remoteAddress: null, remotePort: null, rawHeaders: [['Host', 'h']], body: body.toString('base64'), bodySize: body.length, truncated: false, ...fields,
    });

  async function importFile(bin: string, file: string): Promise<StoredRequest[]> {
    const response = await fetch(`${base}/api/bins/${bin}/import`, { method: 'POST', body: file });
    expect(response.status).toBe(201);
    const { ids } = (await response.json()) as { ids: string[] };
    return Promise.all(ids.map(async (id) => (await t.store.getRequest(id))!));
  }

  it('NDJSON: a body over the cap is stored cut to it with its true size, whatever size the file states', async () => {
    const stored = await importFile('ndjson-cap', [1, body.length, 10 ** 9].map((bodySize) => record({ bodySize })).join('\n'));
    for (const request of stored) {
      expect(Buffer.from(request.body).equals(body.subarray(0, cap))).toBe(true);
      expect(request).toMatchObject({ bodySize: body.length, truncated: true });
    }
    const detail = await fetchDetail(base, stored[0]!.id);
    expect(detail.body).toMatchObject({ size: body.length, truncated: true });
  });

  it('NDJSON: a stated size is believed only for a body marked truncated, and never below its bytes', async () => {
    const small = body.subarray(0, 100).toString('base64');
    const stored = await importFile('ndjson-sizes', [
      record({ body: small, truncated: true, bodySize: 1_000_000 }),
      record({ body: small, truncated: true, bodySize: 10 }),
      record({ body: small, truncated: false, bodySize: 99_999 }),
    ].join('\n'));
    expect(stored.map((r) => [r.bodySize, r.truncated, r.body.byteLength])).toEqual([[1_000_000, true, 100], [100, true, 100], [100, false, 100]]);
  });

  it('stores a capture over the cap and the import of its export alike', async () => {
    await fetch(`${base}/b/captured`, { method: 'POST', body: new Uint8Array(body) });
    const file = await (await fetch(`${base}/api/bins/captured/export?format=ndjson`)).text();
    const [captured] = await t.store.requestsAfter('captured', '0', 1);
    const [imported] = await importFile('captured-again', file);
    const essence = (r: StoredRequest) => ({ body: Buffer.from(r.body).toString('base64'), bodySize: r.bodySize, truncated: r.truncated });
    expect(essence(imported!)).toEqual(essence(captured!));
    expect(imported).toMatchObject({ bodySize: body.length, truncated: true });
  });

  it('HAR: a body over the cap, from devtools or from authbin, is stored cut to it with its true size', async () => {
    const text = 'é'.repeat(2000);
    const har = {
      log: {
        version: '1.2',
        entries: [
          { startedDateTime: '2026-11-01T10:00:00.000Z', request: { method: 'POST', url: 'https://example.com/hook', headers: [], bodySize: 1, postData: { mimeType: 'text/plain', text } } },
          { startedDateTime: '2026-11-01T10:00:00.000Z', request: { method: 'POST', url: 'https://example.com/hook', headers: [], postData: { text: body.toString('base64'), encoding: 'base64' } } },
          { _authbin: { ...JSON.parse(record({ bodySize: 1 })), body: undefined, bodyBase64: body.toString('base64') } },
        ],
      },
    };
    const [devtoolsText, devtoolsBase64, authbin] = await importFile('har-cap', JSON.stringify(har));
    expect(Buffer.from(devtoolsText!.body).equals(Buffer.from(text).subarray(0, cap))).toBe(true);
    expect(devtoolsText).toMatchObject({ bodySize: Buffer.byteLength(text), truncated: true });
    for (const request of [devtoolsBase64, authbin]) {
      expect(Buffer.from(request!.body).equals(body.subarray(0, cap))).toBe(true);
      expect(request).toMatchObject({ bodySize: body.length, truncated: true });
    }
  });
});

describe('an NDJSON import with a 96 MiB body, streamed to a real listener', () => {
  const mib = 1024 * 1024;
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = makeTestApp({ AUTHBIN_MAX_BODY_BYTES: String(mib) });
    base = await t.listen();
  });
  afterAll(() => t.close());

  /** Sends `pieces` as one chunked upload (no Content-Length), as a client streaming a file does. */
  function upload(url: string, pieces: Buffer[]): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-ndjson' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      let next = 0;
      const pump = () => {
        while (next < pieces.length) if (!req.write(pieces[next++])) return void req.once('drain', pump);
        req.end();
      };
      pump();
    });
  }

  it('is stored cut to the cap with its true size, memory growing in proportion to the cap, not the file', async () => {
    const head = JSON.stringify({ authbin: 1, receivedAt: '2026-11-01T10:00:00.000Z', method: 'POST', path: '/', query: '', httpVersion: '1.1', rawHeaders: [], bodySize: 1, truncated: false });
    // One buffer written 32 times: the client side allocates next to nothing.
    const piece = Buffer.from(Buffer.alloc(3 * mib, 7).toString('base64'));
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    const reply = await upload(`${base}/api/bins/big/import`, [Buffer.from(`${head.slice(0, -1)},"body":"`), ...Array.from({ length: 32 }, () => piece), Buffer.from('"}\n')]);
    clearInterval(sampler);
    expect(reply.status).toBe(201);
    const stored = (await t.store.getRequest((JSON.parse(reply.body) as { ids: string[] }).ids[0]!))!;
    expect(stored).toMatchObject({ bodySize: 96 * mib, truncated: true });
    expect(Buffer.from(stored.body).equals(Buffer.alloc(mib, 7))).toBe(true);
    // Before, the whole file was held as text, parsed and decoded: several times its size.
    expect(peak - rssBefore).toBeLessThan(96 * mib);
  });

  it('refuses a HAR file past 64 MiB, which would be parsed whole, and points to NDJSON', async () => {
    await t.store.createBin('har-big', null);
    const entry = JSON.stringify({ startedDateTime: '2026-11-01T10:00:00.000Z', request: { method: 'POST', url: 'https://example.com/hook', headers: [], postData: { text: 'x'.repeat(mib) } } });
    const har = `{"log":{"version":"1.2","entries":[${Array.from({ length: 65 }, () => entry).join(',')}]}}`;
    const response = await t.app.request('/api/bins/har-big/import', { method: 'POST', body: har, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(413);
    expect(((await response.json()) as ApiError).error.message).toMatch(/HAR.*NDJSON/);
    expect((await t.store.getBin('har-big'))!.requestCount).toBe(0);
  });

  it('refuses an import that declares more than 256 MiB before reading it', async () => {
    const response = await sendRaw(base, `POST /api/bins/big/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${256 * mib + 1}\r\nConnection: close\r\n\r\n`);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'too_large' } });
  });
});
