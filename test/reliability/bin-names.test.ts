import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinList } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { getJson, internalErrors, report } from './support/api.ts';
import { headerOf, jsonOf } from './support/http-responses.ts';
import { exchange } from './support/raw-connection.ts';

const token = 'reliability-bin-names-token';
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { AUTHBIN_TOKEN: token } });
});
afterAll(async () => {
  expect(internalErrors(server.output())).toEqual([]);
  await server.stop();
});

// Targets sent byte for byte (fetch would resolve the dot segments and re-encode the rest).
const badNames = [
  '/b/..%2f..%2fapi%2fbins',
  '/b/..%2F',
  '/b/../b/real',
  '/b/./real',
  '/b/%2e%2e/b/real',
  '/b/%C0%AE%C0%AE/x',
  '/b/%00',
  '/b/x%00y',
  '/b/%00/hook',
  '/b/real%00',
  '/b/caf%C3%A9',
  '/b/%F0%9F%98%80',
  '/b/%EF%BC%A1',
  '/b/%D0%B0dmin',
  '/b/a%20b',
  '/b/a+b',
  '/b/x.json',
  '/b/ab%2Fcd',
  '/b//x',
  `/b/${'x'.repeat(65)}`,
  "/b/x'--",
  '/b/x;y',
  '/b/x%27%20OR%201=1--',
];

// Dot segments that climb out of /b/ are resolved like in any URL: the request then lands on
// another route, under that route's rules (here: the API, which needs the token).
const climbing = ['/b/../api/bins', '/b/x/../../api/bins', '/b/%2e%2e/%2e%2e/api/bins', '/b/real/../../api/bins/real'];

const methods = ['GET', 'POST', 'DELETE'];
const send = async (method: string, target: string) => {
  const [response] = await exchange(server.url, `${method} ${target} HTTP/1.1\r\nHost: names.test\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
  return response!;
};

describe('bin names that are not bin names', () => {
  it('answers 404 bad_bin to ../, %00, unicode, SQL and overlong names, and stores nothing', async () => {
    for (const target of badNames) {
      for (const method of methods) {
        const response = await send(method, target);
        expect(response.status, `${method} ${target}`).toBe(404);
        expect(headerOf(response, 'content-type'), target).toMatch(/^application\/json/);
        expect(jsonOf<{ error: { code: string } }>(response).error.code, target).toBe('bad_bin');
      }
    }
    const { bins } = await getJson<BinList>(`${server.url}/api/bins`, { headers: { Authorization: `Bearer ${token}` } });
    expect(bins).toEqual([]);
    report(`bin names: ${badNames.length} hostile names × ${methods.length} methods answered 404 bad_bin, nothing stored`);
  });

  it('never lets ../ out of /b/ reach the API without the token, and stores nothing', async () => {
    for (const target of climbing) {
      for (const method of methods) {
        const response = await send(method, target);
        expect(response.status, `${method} ${target}`).toBe(401);
        expect(jsonOf<{ error: { code: string } }>(response).error.code).toBe('unauthorized');
      }
    }
    const { bins } = await getJson<BinList>(`${server.url}/api/bins`, { headers: { Authorization: `Bearer ${token}` } });
    expect(bins).toEqual([]);
  });

  it('refuses a backslash in the target outright', async () => {
    for (const target of ['/b/\\x', '/b/x\\..\\..\\api\\bins']) {
      expect((await send('GET', target)).status, target).toBe(400);
    }
  });
});
