import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestPage } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, internalErrors, report, requestDetail } from './support/api.ts';
import { jsonOf } from './support/http-responses.ts';
import { RawConnection } from './support/raw-connection.ts';
import { encode, knownMethods, shownAs, wireRequest, type WireRequest } from './support/request-arbitraries.ts';

const runs = 150;
const bin = 'property';
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

let accepted = 0;
let refused = 0;

async function checkOne(request: WireRequest): Promise<void> {
  const { bytes, headers } = encode(request, bin);
  const storedBefore = await binCount(server.url, bin);
  const connection = await RawConnection.open(server.url);
  await connection.write(bytes);
  const [response] = await connection.responses(1, 10_000, () => request.method === 'HEAD');
  connection.destroy();
  expect(server.process.exitCode, 'the server is still running').toBeNull();
  expect(response, 'an answer arrived').toBeDefined();

  if (!knownMethods.includes(request.method)) {
    // Node's parser knows a fixed list of methods and refuses the rest before authbin sees them.
    expect(response!.status).toBe(400);
    expect(await binCount(server.url, bin)).toBe(storedBefore);
    refused++;
    return;
  }
  expect(response!.status).toBe(200);
  accepted++;
  const page = await getJson<RequestPage>(`${server.url}/api/bins/${bin}/requests?limit=1`);
  const id = page.requests[0]!.id;
  if (request.method !== 'HEAD') expect(jsonOf<{ id: string }>(response!).id).toBe(id);

  const detail = await requestDetail(server.url, id);
  expect(detail).toMatchObject({ method: request.method, path: request.path, query: request.query, httpVersion: '1.1' });
  expect(detail.headers).toEqual(headers.map(([name, value]) => [name, shownAs(value)]));
  expect(detail.body.size).toBe(request.body.length);
  expect(detail.body.truncated).toBe(false);
  expect(Buffer.from(detail.body.base64, 'base64').equals(request.body), 'body in the detail').toBe(true);
  const download = await fetch(`${server.url}/api/requests/${id}/body`);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(request.body), 'body download').toBe(true);
}

describe('random requests over real sockets', () => {
  it(`never crash the server, and every accepted one reads back byte for byte (${runs} runs)`, async () => {
    await fc.assert(fc.asyncProperty(wireRequest, checkOne), { numRuns: runs });
    expect(await getJson(`${server.url}/healthz`)).toEqual({ ok: true });
    expect(internalErrors(server.output())).toEqual([]);
    report(`fast-check: ${accepted + refused} random requests over real sockets, ${accepted} accepted and read back byte-identical, ${refused} refused by the parser (unknown method), 0 crashes`);
  });
});
