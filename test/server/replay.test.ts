import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/api.ts';
import { ApiFailure, errorBody } from '../../server/errors.ts';
import { createHttpServer } from '../../server/http-server.ts';
import type { ReplayResult } from '../../shared/api.ts';
import { replayRoutes } from '../../server/routes/replay.ts';
import type { CapturedRequest } from '../../server/store/store.ts';
import type { AppEnv } from '../../server/app-deps.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.ts';

/** The replay routes as the lead mounts them, behind the app's JSON error handling. */
function replayApp(t: TestApp, options?: { timeoutMs?: number }) {
  const app = new Hono<AppEnv>().route('/api/requests', replayRoutes({ store: t.store, config: t.config }, options));
  app.onError((error, c) => {
    if (error instanceof ApiFailure) return c.json(errorBody(error.code, error.message), error.status);
    throw error;
  });
  return app;
}

const signedBody = Buffer.from('{"ticket":{"id":35436}}');
const stored: CapturedRequest = {
  bin: 'demo',
  receivedAt: Date.now(),
  method: 'POST',
  path: '/hook',
  query: 'a=1',
  httpVersion: '1.1',
  remoteAddress: '127.0.0.1',
  remotePort: 5000,
  headers: [
    ['host', 'authbin.example'],
    ['X-Zendesk-Webhook-Signature', 'abc='],
    ['Content-Type', 'application/json'],
    ['x-dup', '1'],
    ['X-Dup', '2'],
    ['Connection', 'keep-alive, X-Hop'],
    ['X-Hop', 'dropped'],
    ['X-Latin1', 'caf\u00e9'],
    ['Content-Length', String(signedBody.length)],
  ],
  body: signedBody,
  bodySize: signedBody.length,
  truncated: false,
};

let t: TestApp;
let target: RecordingServer;
/** The target's answer: 201, a header sent twice in two letter cases, a UTF-8 body. */
const created = (res: ServerResponse) => res.writeHead(201, ['X-Reply', 'a', 'x-reply', 'b', 'Content-Type', 'text/plain; charset=utf-8']).end('created ✓');
let id: string;
beforeAll(async () => {
  t = makeTestApp();
  target = await startRecordingServer(created);
  ({ id } = await t.store.capture(stored));
});
afterAll(async () => {
  await target.close();
  await t.close();
});
beforeEach(() => {
  target.received.length = 0;
});

async function replay(body: unknown, app = replayApp(t), requestId = id) {
  const response = await app.request(`/api/requests/${requestId}/replay`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as ReplayResult & ApiError };
}

describe('POST /api/requests/{id}/replay', () => {
  it('sends the stored request byte for byte, Host rewritten and hop-by-hop headers dropped', async () => {
    const { status, json } = await replay({ url: `${target.url}/local/hook?b=2` });
    expect(status).toBe(200);
    const [sent] = target.received;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/local/hook?b=2');
    expect(sent!.headers).toEqual([
      ['host', `127.0.0.1:${target.port}`],
      ['X-Zendesk-Webhook-Signature', 'abc='],
      ['Content-Type', 'application/json'],
      ['x-dup', '1'],
      ['X-Dup', '2'],
      // Latin-1 characters are sent as the single bytes they were stored as.
      ['X-Latin1', 'caf\u00e9'],
      ['Content-Length', String(signedBody.length)],
      ['Connection', 'close'],
    ]);
    expect(sent!.body.equals(signedBody)).toBe(true);
    expect(json.status).toBe(201);
    expect(json.headers.filter(([name]) => name.toLowerCase() === 'x-reply')).toEqual([['X-Reply', 'a'], ['x-reply', 'b']]);
    expect(json.body).toEqual({ size: 11, truncated: false, base64: Buffer.from('created ✓').toString('base64'), text: 'created ✓' });
    expect(json.timing.totalMs).toBeGreaterThanOrEqual(0);
  });

  it('works behind a real listener', async () => {
    const server = createHttpServer(replayApp(t));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/requests/${id}/replay`, {
        method: 'POST',
        body: JSON.stringify({ url: target.url }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as ReplayResult).status).toBe(201);
      expect(target.received).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends an edited copy: method, headers (UTF-8 text) and body, with Content-Length recomputed', async () => {
    const { status } = await replay({
      url: `${target.url}/fixed`,
      method: 'PUT',
      headers: [['Authorization', 'Basic Zml4ZWQ='], ['X-Name', 'Zoë'], ['Content-Length', '999']],
      body: { text: '{"b":"ü"}' },
    });
    expect(status).toBe(200);
    const [sent] = target.received;
    expect(sent!.method).toBe('PUT');
    expect(sent!.headers.slice(0, 4)).toEqual([
      ['Host', `127.0.0.1:${target.port}`],
      ['Authorization', 'Basic Zml4ZWQ='],
      ['X-Name', Buffer.from('Zoë').toString('latin1')],
      ['Content-Length', '10'],
    ]);
    expect(sent!.body.toString()).toBe('{"b":"ü"}');
  });

  it('sends a binary body given as base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    await replay({ url: target.url, headers: [], body: { base64: bytes.toString('base64') } });
    expect(target.received[0]!.body.equals(bytes)).toBe(true);
    expect(target.received[0]!.headers).toContainEqual(['Content-Length', '5']);
  });

  it('caps the response body at 1 MiB and reports its full size', async () => {
    const big = await startRecordingServer((res) => res.writeHead(200, { 'Content-Length': String(1536 * 1024) }).end(Buffer.alloc(1536 * 1024, 97)));
    try {
      const { json } = await replay({ url: big.url });
      expect(json.body.truncated).toBe(true);
      expect(json.body.size).toBe(1536 * 1024);
      expect(Buffer.from(json.body.base64, 'base64').length).toBe(1024 * 1024);
    } finally {
      await big.close();
    }
  });

  it('answers 502 when the target refuses the connection', async () => {
    const closed = await startRecordingServer();
    await closed.close();
    const { status, json } = await replay({ url: `${closed.url}/hook` });
    expect(status).toBe(502);
    expect(json.error).toEqual({ code: 'target_refused', message: `127.0.0.1:${closed.port} refused the connection` });
  });

  it('answers 502 when the target does not answer in time', async () => {
    const silent = await startRecordingServer(() => {});
    try {
      const { status, json } = await replay({ url: silent.url }, replayApp(t, { timeoutMs: 300 }));
      expect(status).toBe(502);
      expect(json.error.code).toBe('target_timeout');
      expect(json.error.message).toMatch(/did not answer within 0\.3 s/);
    } finally {
      await silent.close();
    }
  });

  it('refuses targets outside the default allow list (loopback only) without connecting', async () => {
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:10.0.0.1]/', 'http://[fd00::1]:8080/', 'http://0.0.0.0:8787/']) {
      const { status, json } = await replay({ url });
      expect({ url, status, code: json.error.code }).toEqual({ url, status: 403, code: 'target_not_allowed' });
      expect(json.error.message).toMatch(/only loopback targets are allowed by default/);
    }
  });

  it('checks the address a name resolves to, not the name', async () => {
    const onlyOther = makeTestApp({ AUTHBIN_REPLAY_ALLOW: '127.0.0.2' });
    const anyPublic = makeTestApp({ AUTHBIN_REPLAY_ALLOW: '*' });
    try {
      for (const app of [onlyOther, anyPublic]) {
        const { id: copy } = await app.store.capture(stored);
        // localhost is a name that resolves to loopback: allowed by neither setting.
        const { status, json } = await replay({ url: `http://localhost:${target.port}/` }, replayApp(app), copy);
        expect(status).toBe(403);
        expect(json.error.message).toMatch(/^sending to localhost:\d+ \((127\.0\.0\.1|::1)(, (127\.0\.0\.1|::1))?\) is not allowed: AUTHBIN_REPLAY_ALLOW is "/);
      }
      expect(target.received).toEqual([]);
    } finally {
      await onlyOther.close();
      await anyPublic.close();
    }
  });

  it('allows a host:port entry and refuses other ports of the same host', async () => {
    const app = makeTestApp({ AUTHBIN_REPLAY_ALLOW: `127.0.0.1:${target.port}` });
    try {
      const { id: copy } = await app.store.capture(stored);
      expect((await replay({ url: target.url }, replayApp(app), copy)).status).toBe(200);
      expect((await replay({ url: 'http://127.0.0.1:1/' }, replayApp(app), copy)).status).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('gives clear 4xx errors for bad input, unknown requests and truncated bodies', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'invalid_input'],
      [{ url: 'ftp://example.com/' }, 400, 'invalid_input'],
      [{ url: 'http://u:p@127.0.0.1/' }, 400, 'invalid_input'],
      [{ url: target.url, method: 'BAD METHOD' }, 400, 'invalid_input'],
      [{ url: target.url, headers: [['Bad Name', 'x']] }, 400, 'invalid_input'],
      [{ url: target.url, headers: [['X', 'a\r\nInjected: 1']] }, 400, 'invalid_input'],
      [{ url: target.url, body: { base64: 'not base64!' } }, 400, 'invalid_input'],
      [{ url: target.url, extra: 1 }, 400, 'invalid_input'],
    ];
    for (const [body, status, code] of cases) {
      const result = await replay(body);
      expect({ body, status: result.status, code: result.json.error.code }).toEqual({ body, status, code });
    }
    expect((await replay({ url: target.url }, replayApp(t), '999999')).status).toBe(404);
    const { id: cut } = await t.store.capture({ ...stored, bodySize: 10_000, truncated: true });
    const truncated = await replay({ url: target.url }, replayApp(t), cut);
    expect(truncated.json.error.code).toBe('body_truncated');
    expect((await replay({ url: target.url, body: { text: 'whole' } }, replayApp(t), cut)).status).toBe(200);
    expect(target.received.map((r) => r.body.toString())).toEqual(['whole']);
  });
});
