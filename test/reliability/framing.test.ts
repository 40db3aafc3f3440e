import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, internalErrors, report, requestDetail } from './support/api.ts';
import { jsonOf } from './support/http-responses.ts';
import { exchange, RawConnection } from './support/raw-connection.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(internalErrors(server.output())).toEqual([]);
  await server.stop();
});

const stillUp = async () => expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });

describe('broken chunked encoding', () => {
  const bodies: Record<string, string> = {
    'a chunk size that is not hex': 'zz\r\nhello\r\n0\r\n\r\n',
    'a chunk longer than its size': '5\r\nhelloEXTRA\r\n0\r\n\r\n',
    'bare LF line ends': '5\nhello\n0\n\n',
    'a chunk size past 64 bits': 'ffffffffffffffffff\r\nhello\r\n0\r\n\r\n',
    'a negative chunk size': '-5\r\nhello\r\n0\r\n\r\n',
    'no CRLF after the data': '5\r\nhello0\r\n\r\n',
  };

  it('answers each with 400, stores nothing and stays up', async () => {
    const cases = Object.entries(bodies);
    for (const [index, [name, body]] of cases.entries()) {
      const responses = await exchange(server.url, `POST /b/broken-${index} HTTP/1.1\r\nHost: chunks.test\r\nTransfer-Encoding: chunked\r\n\r\n${body}`, 2, 2_000);
      expect(responses.map((r) => r.status), name).toEqual([400]);
      expect(await binCount(server.url, `broken-${index}`), name).toBe(0);
    }
    await stillUp();
    report(`broken chunked: ${cases.length} malformed bodies answered 400, none stored, server up`);
  });
});

describe('request smuggling', () => {
  // Each front request hides a second one for another bin in what a lax parser would take as its body.
  const inner = (i: number) => `GET /b/smuggled-${i} HTTP/1.1\r\nHost: smuggle.test\r\n\r\n`;
  const attempts: [string, (i: number) => string][] = [
    ['CL.TE', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${inner(i)}`],
    ['TE.CL', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n${inner(i).length.toString(16)}\r\n${inner(i)}\r\n0\r\n\r\n`],
    ['TE with a space before the colon', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${inner(i)}`],
    ['TE xchunked', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${inner(i)}`],
    ['TE chunked, identity', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${inner(i)}`],
    ['TE twice', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${inner(i)}`],
    ['TE with a tab', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nTransfer-Encoding:\tchunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n${inner(i)}`],
    ['two different Content-Lengths', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: 0\r\nContent-Length: ${inner(i).length}\r\n\r\n${inner(i)}`],
    ['Content-Length list', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: 0, ${inner(i).length}\r\n\r\n${inner(i)}`],
    ['Content-Length with a sign', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: +0\r\n\r\n${inner(i)}`],
    ['Content-Length folded onto a second line', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: 0\r\n ${inner(i).length}\r\n\r\n${inner(i)}`],
    ['a bare CR in a header', (i) => `POST /b/front-${i} HTTP/1.1\r\nHost: smuggle.test\r\nX-A: a\rContent-Length: 0\r\nContent-Length: ${inner(i).length}\r\n\r\n${inner(i)}`],
  ];

  it('refuses each with 400 or treats it as one request, never storing the hidden one', async () => {
    const outcomes: string[] = [];
    for (const [i, [name, build]] of attempts.entries()) {
      // No Connection: close, so a lax server would go on to read the hidden request.
      const responses = await exchange(server.url, build(i), 2, 1_000);
      const statuses = responses.map((r) => r.status);
      const front = await binCount(server.url, `front-${i}`);
      expect(await binCount(server.url, `smuggled-${i}`), `${name}: the hidden request was stored`).toBe(0);
      if (statuses[0] === 400) {
        expect(statuses, name).toEqual([400]);
        expect(front, name).toBe(0);
        outcomes.push(`${name}: 400`);
      } else {
        expect(statuses, name).toEqual([200]);
        expect(front, name).toBe(1);
        outcomes.push(`${name}: one request`);
      }
    }
    await stillUp();
    report(`smuggling: ${attempts.length} attempts, hidden request stored 0 times (${outcomes.join('; ')})`);
  });
});

describe('pipelined requests', () => {
  it('stores every request of a pipelined batch, in order, and answers them in order', async () => {
    const count = 30;
    const requests = Array.from({ length: count }, (_, i) => {
      const last = i === count - 1 ? 'Connection: close\r\n' : '';
      switch (i % 3) {
        case 0:
          return `GET /b/pipeline/${i}?n=${i} HTTP/1.1\r\nHost: pipe.test\r\nX-Order: ${i}\r\n${last}\r\n`;
        case 1:
          return `POST /b/pipeline/${i} HTTP/1.1\r\nHost: pipe.test\r\nX-Order: ${i}\r\nContent-Length: ${`body ${i}`.length}\r\n${last}\r\nbody ${i}`;
        default:
          return `PUT /b/pipeline/${i} HTTP/1.1\r\nHost: pipe.test\r\nX-Order: ${i}\r\nTransfer-Encoding: chunked\r\n${last}\r\n3\r\nabc\r\n${String(i).length.toString(16)}\r\n${i}\r\n0\r\n\r\n`;
      }
    });
    const connection = await RawConnection.open(server.url);
    await connection.write(requests.join(''));
    const responses = await connection.responses(count, 10_000);
    connection.destroy();
    expect(responses.map((r) => r.status)).toEqual(Array(count).fill(200));
    const ids = responses.map((r) => BigInt(jsonOf<{ id: string }>(r).id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'ids ascend in the order sent').toBe(true);
    for (const [i, id] of ids.entries()) {
      const detail = await requestDetail(server.url, String(id));
      expect(detail.headers.find(([name]) => name === 'X-Order')).toEqual(['X-Order', String(i)]);
      expect(detail.path).toBe(`/${i}`);
      expect(detail.body.text).toBe(['', `body ${i}`, `abc${i}`][i % 3]);
    }
    expect(await binCount(server.url, 'pipeline')).toBe(count);
    report(`pipelining: ${count} requests (GET, Content-Length and chunked bodies) in one write, all stored and answered in order`);
  });
});
