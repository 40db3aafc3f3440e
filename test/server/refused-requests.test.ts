import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestDetail, RequestPage } from '../../shared/api.ts';
import { fetchDetail, recordedForward, startTestApp, testEngines, type TestApp } from '../helpers/app.ts';
import { startRecordingServer } from '../helpers/recording-server.ts';
import { sendRaw } from '../helpers/raw-http.ts';

const run = promisify(execFile);

// A Zendesk-style credential long enough that GNU base64 wraps its output at 76 columns.
const credentials = 'jane.roe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

/** What GNU `base64` (no -w0) prints for the credentials, as `$(…)` hands it to curl: wrapped, last newline dropped. */
async function wrappedBase64(): Promise<string> {
  const { stdout } = await run('sh', ['-c', `printf %s '${credentials}' | base64`]);
  return stdout.replace(/\n$/, '');
}

async function latestIn(base: string, bin: string): Promise<RequestDetail> {
  const page = (await (await fetch(`${base}/api/bins/${bin}/requests`)).json()) as RequestPage;
  expect(page.requests.length).toBeGreaterThan(0);
  return fetchDetail(base, page.requests[0]!.id);
}

/** Every byte answered to `parts`, each sent in a read of its own (100 ms apart), until the server closes. */
function rawExchange(base: string, ...parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    // A reset after the answer (the server closed with bytes unread) ends the exchange like a close.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(received) : reject(error)));
    socket.on('close', () => resolve(received));
    parts.forEach((part, i) => setTimeout(() => (i === parts.length - 1 ? socket.end(part) : socket.write(part)), i * 100));
  });
}

async function requestCount(base: string, bin: string): Promise<number> {
  const response = await fetch(`${base}/api/bins/${bin}`);
  return response.status === 404 ? 0 : ((await response.json()) as { requestCount: number }).requestCount;
}

describe.each(testEngines())('requests the HTTP parser refuses, on $name', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('stores the Authorization header curl sends wrapped by base64, and curl prints why', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const wrapped = await wrappedBase64();
    expect(wrapped).toContain('\n');
    const curl = await run('curl', ['-sS', '-w', '\n%{http_code}', '-H', `Authorization: Basic ${wrapped}`, `${base}/b/demo/api/v2/users/me.json`]);
    const [text, status] = [curl.stdout.slice(0, curl.stdout.lastIndexOf('\n')), curl.stdout.slice(curl.stdout.lastIndexOf('\n') + 1)];
    expect(status).toBe('400');
    expect(text).toMatch(/^authbin: this request was refused by the HTTP parser: the Authorization header contains a line break where base64 wrapped it at 76 columns\. Send exactly .*base64 -w0.*\. Stored as request \d+ in bin demo\.\n$/s);

    const detail = await latestIn(base, 'demo');
    expect(detail.rejected).toBe(true);
    expect(detail.refusal?.code).toBe('HPE_CR_EXPECTED');
    expect(text).toContain(detail.refusal!.explanation);
    expect(text).toContain(`Stored as request ${detail.id} in bin demo.`);
    expect(detail.method).toBe('GET');
    expect(detail.path).toBe('/api/v2/users/me.json');
    expect(detail.headers).toContainEqual(['Authorization', `Basic ${wrapped}`]);
    expect(detail.analysis.findings.map((f) => f.code)).toContain('whitespace');
    expect(detail.analysis.basic?.user ?? null).not.toBe(undefined);
    const received = Buffer.from(detail.body.base64, 'base64').toString('latin1');
    expect(received.startsWith('GET /b/demo/api/v2/users/me.json HTTP/1.1\r\n')).toBe(true);
    expect(received).toContain(`Authorization: Basic ${wrapped}\r\n`);

    // Listed as refused, and found by its finding like any capture.
    const page = (await (await fetch(`${base}/api/bins/demo/requests?finding=whitespace`)).json()) as RequestPage;
    expect(page.requests.map((r) => [r.id, r.rejected])).toEqual([[detail.id, true]]);
  });

  it('keeps at most 16 KiB of what arrived, marked truncated', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const head = 'POST /b/big HTTP/1.1\r\nHost: x\r\nX-A : b\r\nContent-Length: 40000\r\n\r\n';
    const answer = await sendRaw(base, head + 'x'.repeat(40_000));
    expect(answer.status).toBe(400);
    const detail = await latestIn(base, 'big');
    expect(detail.body).toMatchObject({ size: 16 * 1024, truncated: true });
    expect(Buffer.from(detail.body.base64, 'base64').toString('latin1')).toBe((head + 'x'.repeat(40_000)).slice(0, 16 * 1024));
  });

  it.each([
    ['a stray CR', 'X-Trace: a\rb', 'HPE_LF_EXPECTED', 'the X-Trace header contains a carriage return (CR) that is not followed by a line feed.', ['X-Trace', 'a\rb']],
    ['a space before the colon', 'Authorization : Bearer abc', 'HPE_INVALID_HEADER_TOKEN', 'the Authorization header has a space before its colon.', ['Authorization', 'Bearer abc']],
    ['a NUL', 'X-Token: ab\0c', 'HPE_INVALID_HEADER_TOKEN', 'the X-Token header contains a NUL byte.', ['X-Token', 'ab\0c']],
    ['a folded line', 'X-Long: one\r\n two', 'HPE_INVALID_HEADER_TOKEN', 'the X-Long header continues on a line that starts with a space or tab', ['X-Long', 'one\r\n two']],
  ] as const)('stores a head with %s and says what is wrong with it', async (_, line, code, explanation, header) => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const sent = `POST /b/odd/hook?x=1 HTTP/1.1\r\nHost: odd.test\r\n${line}\r\nContent-Length: 2\r\n\r\nhi`;
    const answer = await sendRaw(base, sent);
    expect(answer.status).toBe(400);
    expect(answer.headers['connection']).toBe('close');
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(answer.body).toContain(`authbin: this request was refused by the HTTP parser: ${explanation}`);
    const detail = await latestIn(base, 'odd');
    expect(answer.body).toContain(`Stored as request ${detail.id} in bin odd.`);
    expect(detail).toMatchObject({ rejected: true, refusal: { code }, method: 'POST', path: '/hook', query: 'x=1', httpVersion: '1.1' });
    expect(detail.headers).toContainEqual(header);
    expect(Buffer.from(detail.body.base64, 'base64').toString('latin1')).toBe(sent);
  });

  it('finds the refused request after an earlier one on the same keep-alive connection', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const refused = 'GET /b/second HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n';
    // The earlier request's answer may come first or be cut off: Node's parser has failed behind it, as it always did.
    const answers = await rawExchange(base, `GET /b/first HTTP/1.1\r\nHost: x\r\n\r\n${refused}`);
    expect(answers).toContain('HTTP/1.1 400 Bad Request\r\n');
    const detail = await latestIn(base, 'second');
    expect(detail.rejected).toBe(true);
    expect(Buffer.from(detail.body.base64, 'base64').toString('latin1')).toBe(refused);
  });

  it('answers a head that arrived in two reads with 400 and says it could not be matched to a bin', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const text = await rawExchange(base, 'GET /b/split HTTP/1.1\r\nHost: x\r\n', 'X-A : b\r\n\r\n');
    expect(log.mock.calls).toEqual([['authbin: 1 request refused by the HTTP parser could not be matched to a bin so far: the head arrived in more than one read']]);
    log.mockRestore();
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain('Its head arrived in more than one piece, so authbin cannot tell which bin it was for: nothing was stored.');
    expect(await requestCount(base, 'split')).toBe(0);
  });

  it('answers ambiguous framing, a refused body and a header flood exactly as Node does, storing nothing', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const nodeAnswer = (status: string) => `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;
    const cases: [string, string, string][] = [
      ['te-space', 'POST /b/te-space HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n', '400 Bad Request'],
      ['cr-cl', 'POST /b/cr-cl HTTP/1.1\r\nHost: x\r\nX-A: a\rContent-Length: 0\r\nContent-Length: 9\r\n\r\nGET / ...', '400 Bad Request'],
      ['chunks', 'POST /b/chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', '400 Bad Request'],
      ['flood', `GET /b/flood HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, '431 Request Header Fields Too Large'],
    ];
    for (const [bin, request, status] of cases) {
      expect(await rawExchange(base, request), bin).toBe(nodeAnswer(status));
      expect(await requestCount(base, bin), bin).toBe(0);
    }
  });

  /** Sends a head the parser refuses (a space before a colon) to `bin`; resolves to its stored id and the bytes sent. */
  async function sendRefused(base: string, bin: string): Promise<{ id: string; sent: string }> {
    const sent = `PUT /b/${bin}/hook HTTP/1.1\r\nHost: refused.test\r\nX-Signature : abc\r\nContent-Length: 2\r\n\r\nhi`;
    const answer = await sendRaw(base, sent);
    expect(answer.status).toBe(400);
    return { id: /Stored as request (\d+) in bin/.exec(answer.body)![1]!, sent };
  }

  it('serves the bytes as received from /raw, marked refused, and refuses to replay them with 409', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const { id, sent } = await sendRefused(base, 'wire');
    const raw = await fetch(`${base}/api/requests/${id}/raw`);
    expect(raw.headers.get('x-authbin-refused')).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(raw.headers.get('content-type')).toBe('message/http');
    expect(Buffer.from(await raw.arrayBuffer()).toString('latin1')).toBe(sent);

    const replay = await fetch(`${base}/api/requests/${id}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/x' }),
    });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('refused_request');
  });

  it('records a refused request in a relaying bin as not relayed, and sends nothing', async () => {
    const target = await startRecordingServer();
    try {
      t = await startTestApp(engine);
      const base = await t.listen();
      const created = await fetch(`${base}/api/bins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'relayed', forwardTo: `${target.url}/hook` }),
      });
      expect(created.status).toBe(201);
      const { id } = await sendRefused(base, 'relayed');
      const forward = await recordedForward(base, id);
      expect(forward).toMatchObject({ status: null, error: 'not relayed: the HTTP parser refused this request, so there is no valid request to send on' });
      // A valid capture after it is relayed: the refused one never reached the target.
      const ok = (await (await fetch(`${base}/b/relayed/hook`, { method: 'POST', body: 'ok' })).json()) as { id: string };
      expect((await recordedForward(base, ok.id)).status).toBe(204);
      expect(target.received.map((r) => r.body.toString())).toEqual(['ok']);
    } finally {
      await target.close();
    }
  });

  it.each(['ndjson', 'har'])('round-trips a refused request through a %s export and import', async (format) => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const { id, sent } = await sendRefused(base, 'trip');
    const before = await fetchDetail(base, id);
    const file = await (await fetch(`${base}/api/bins/trip/export?format=${format}`)).text();
    if (format === 'har') {
      // Marked refused, why in its comment; the bytes that arrived are no body of it, so no postData: they go only in _authbin.
      const [entry] = (JSON.parse(file) as { log: { entries: { request: Record<string, unknown>; _authbin: Record<string, unknown> }[] } }).log.entries;
      expect(entry!.request).toMatchObject({ method: 'PUT', bodySize: -1, comment: `refused by the HTTP parser (HPE_INVALID_HEADER_TOKEN): ${before.refusal!.explanation}` });
      expect(entry!.request).not.toHaveProperty('postData');
      expect(entry!.request.headers).toContainEqual({ name: 'X-Signature', value: 'abc' });
      expect(entry!._authbin).toMatchObject({ parserError: 'HPE_INVALID_HEADER_TOKEN', bodyBase64: Buffer.from(sent, 'latin1').toString('base64') });
    }
    const imported = await fetch(`${base}/api/bins/copy/import`, { method: 'POST', body: file });
    expect(imported.status).toBe(201);
    const after = await latestIn(base, 'copy');
    expect(after.id).not.toBe(id);
    expect(after).toMatchObject({ rejected: true, refusal: before.refusal, method: 'PUT', path: '/hook', headers: before.headers });
    expect(Buffer.from(after.body.base64, 'base64').toString('latin1')).toBe(sent);
  });

  it('tells live listeners of a refused request as it is stored, marked rejected', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const stream = await fetch(`${base}/api/bins/live/events`);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { id } = await sendRefused(base, 'live');
    let text = '';
    while (!/event: request\n/.test(text)) text += (await reader.read()).value ?? '';
    await reader.cancel();
    const data = /data: (.*)\n/.exec(text.slice(text.indexOf('event: request')))![1]!;
    expect(JSON.parse(data)).toMatchObject({ id, bin: 'live', method: 'PUT', rejected: true });
  });

  it("explains but does not keep a refused request that carries authbin's login cookie (its bytes could not lose it)", async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const answer = await sendRaw(base, 'GET /b/cookie HTTP/1.1\r\nHost: x\r\nCookie: a=1; authbin_session=secret-session\r\nX-A : b\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body).toBe("authbin: this request was refused by the HTTP parser: the X-A header has a space before its colon. It carries authbin's login cookie, so it was not stored.\n");
    expect(await requestCount(base, 'cookie')).toBe(0);
  });

  it('meets the capture admission: past --max-bins a refused request to a new bin gets 404 and is not stored', async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BINS: '1' });
    const base = await t.listen();
    expect((await fetch(`${base}/b/first`)).status).toBe(200);
    const answer = await sendRaw(base, 'GET /b/second HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n');
    expect(answer.status).toBe(404);
    expect(answer.headers['connection']).toBe('close');
    expect(answer.body).toMatch(/^authbin: no bin named "second", and captures may not create more: this authbin holds its limit of 1 bins/);
    expect(await requestCount(base, 'second')).toBe(0);
    // To an existing bin it is kept.
    expect((await sendRaw(base, 'GET /b/first HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n')).status).toBe(400);
    expect(await requestCount(base, 'first')).toBe(2);
  });

  it('meets the capture rate limit, counted with the captures from the same address', async () => {
    t = await startTestApp(engine, { AUTHBIN_CAPTURE_RATE: '1', AUTHBIN_CAPTURE_BURST: '1', AUTHBIN_RATE_LIMIT_LOOPBACK: '1' });
    const base = await t.listen();
    expect((await fetch(`${base}/b/limited`)).status).toBe(200);
    const answer = await sendRaw(base, 'GET /b/limited HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n');
    expect(answer.status).toBe(429);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(answer.body).toContain('too many requests from your address');
    expect(await requestCount(base, 'limited')).toBe(1);
  });
});

