import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, internalErrors, report, requestDetail } from './support/api.ts';
import { jsonOf } from './support/http-responses.ts';
import { exchange } from './support/raw-connection.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(internalErrors(server.output())).toEqual([]);
  await server.stop();
});

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const tail = 'Host: bytes.test\r\nConnection: close\r\n\r\n';

describe('raw NUL, control and non-ASCII bytes where HTTP allows none', () => {
  // HTTP/1.1 allows only visible ASCII in the request target and no control bytes in header values:
  // Node's parser refuses them before authbin sees the request. A refused header line is kept as a
  // refused request (refused-requests.ts), explained; a refused request line is not.
  const refused: [string, Buffer, 'kept' | 'not kept'][] = [
    ['NUL in the path', bytes('GET /b/raw-0/a\0b HTTP/1.1\r\n', tail), 'not kept'],
    ['NUL in the query', bytes('GET /b/raw-1?a=\0 HTTP/1.1\r\n', tail), 'not kept'],
    ['NUL in a header value', bytes('GET /b/raw-2 HTTP/1.1\r\nX-Nul: a\0b\r\n', tail), 'kept'],
    ['invalid UTF-8 in the path', bytes('GET /b/raw-3/', [0xff, 0xfe], ' HTTP/1.1\r\n', tail), 'not kept'],
    ['valid UTF-8 in the path', bytes('GET /b/raw-4/caf', [0xc3, 0xa9], ' HTTP/1.1\r\n', tail), 'not kept'],
    ['invalid UTF-8 in the query', bytes('GET /b/raw-5?q=', [0xc3, 0x28], ' HTTP/1.1\r\n', tail), 'not kept'],
    ['a control byte in a header value', bytes('GET /b/raw-6 HTTP/1.1\r\nX-Ctl: a\x01b\r\n', tail), 'kept'],
    ['DEL in a header value', bytes('GET /b/raw-7 HTTP/1.1\r\nX-Del: a\x7fb\r\n', tail), 'kept'],
    ['a non-ASCII header name', bytes('GET /b/raw-8 HTTP/1.1\r\nX-', [0xe9], ': v\r\n', tail), 'kept'],
    ['NUL in a header name', bytes('GET /b/raw-9 HTTP/1.1\r\nX-\0: v\r\n', tail), 'kept'],
  ];

  it('answers each with 400, stores nothing and stays up', async () => {
    for (const [index, [name, request, kept]] of refused.entries()) {
      const responses = await exchange(server.url, request);
      expect(responses.map((r) => r.status), name).toEqual([400]);
      expect(await binCount(server.url, `raw-${index}`), name).toBe(kept === 'kept' ? 1 : 0);
      if (kept === 'kept') {
        const id = /Stored as request (\d+) in bin/.exec(responses[0]!.body.toString())?.[1];
        const detail = await requestDetail(server.url, id!);
        expect(detail.rejected, name).toBe(true);
        expect(Buffer.from(detail.body.base64, 'base64').equals(request), name).toBe(true);
      }
    }
    expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
    const keptCount = refused.filter(([, , kept]) => kept === 'kept').length;
    report(`raw bytes: ${refused.length} requests with NUL, control or non-ASCII bytes in the target or header lines refused with 400; the ${keptCount} refused in a header line kept as refused requests byte for byte, the others not stored`);
  });
});

describe('bytes HTTP does carry', () => {
  async function capture(request: Buffer) {
    const [response] = await exchange(server.url, request);
    expect(response?.status).toBe(200);
    return requestDetail(server.url, jsonOf<{ id: string }>(response!).id);
  }

  it('stores percent-encoded NUL and invalid UTF-8 in path and query exactly as sent', async () => {
    const detail = await capture(bytes('GET /b/escaped/%00/%ff%fe/%C3%28?nul=%00&bad=%ff%C3%28&plus=a+b HTTP/1.1\r\n', tail));
    expect(detail.path).toBe('/%00/%ff%fe/%C3%28');
    expect(detail.query).toBe('nul=%00&bad=%ff%C3%28&plus=a+b');
  });

  it('stores header values with non-UTF-8 bytes and shows them one character per byte', async () => {
    const detail = await capture(
      bytes('GET /b/header-bytes HTTP/1.1\r\nX-Latin1: caf', [0xe9], '\r\nX-Invalid: ', [0xff, 0xfe, 0xc3, 0x28, 0x80], '\r\nX-Tab: a\tb\r\n', tail),
    );
    expect(detail.headers).toContainEqual(['X-Latin1', 'caf\u00e9']);
    expect(detail.headers).toContainEqual(['X-Invalid', '\u00ff\u00fe\u00c3(\u0080']);
    expect(detail.headers).toContainEqual(['X-Tab', 'a\tb']);
  });

  it('shows header values that are valid UTF-8 as text', async () => {
    const detail = await capture(bytes('GET /b/header-utf8 HTTP/1.1\r\nX-Utf8: ', [...Buffer.from('café ☃ 😀')], '\r\n', tail));
    expect(detail.headers).toContainEqual(['X-Utf8', 'café ☃ 😀']);
  });

  it('stores a body of NUL and invalid UTF-8 bytes byte for byte, without a text form', async () => {
    const body = Buffer.from([0, 0, 0xff, 0xfe, 0xc3, 0x28, 0, 0x80]);
    const detail = await capture(bytes(`POST /b/body-bytes HTTP/1.1\r\nContent-Length: ${body.length}\r\n`, tail, [...body]));
    expect(Buffer.from(detail.body.base64, 'base64').equals(body)).toBe(true);
    expect(detail.body.text).toBeUndefined();
    const download = await fetch(`${server.url}/api/requests/${detail.id}/body`);
    expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
  });
});
