import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runForward } from '../../../server/cli/forward.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';
import { sendRaw } from '../../helpers/raw-http.ts';
import { expectedAtReceiver, hasValidSignature, recordingIo, sendWebhook, startReceiver, type SentWebhook } from './webhooks.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function authbin(env: Record<string, string> = {}): Promise<{ app: TestApp; url: string }> {
  const app = makeTestApp(env);
  const url = await app.listen();
  cleanups.push(() => app.close());
  return { app, url };
}

async function receiver(delayMs = 0) {
  const started = await startReceiver(delayMs);
  cleanups.push(() => started.close());
  return started;
}

/** A TCP relay in front of authbin that can cut every connection and refuse new ones, like a flaky network. */
async function flakyLink(targetUrl: string) {
  const { port } = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(Number(port), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => (server.close(resolve), sockets.forEach((s) => s.destroy()))));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
  };
}

function deliveryLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('→') || line.startsWith('✗'));
}

describe('authbin forward', () => {
  it('relays each signed webhook byte for byte, one line per delivery, and exits after --count', async () => {
    const { url } = await authbin();
    const target = await receiver();
    const out = recordingIo();
    const forwarding = runForward(['--from', `${url}/b/zd`, '--to', `${target.url}/webhook`, '--count', '3'], out.io, { signal: AbortSignal.timeout(20_000) });
    await out.waitFor(/connected, waiting for requests/);
    const sent: SentWebhook[] = [];
    for (let n = 1; n <= 3; n++) sent.push(await sendWebhook(`${url}/b/zd`, n));
    expect(await forwarding).toBe(0);

    expect(target.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /webhook/zendesk?n=1', 'POST /webhook/zendesk?n=2', 'POST /webhook/zendesk?n=3']);
    target.received.forEach((delivered, i) => {
      expect(delivered.headers).toEqual(expectedAtReceiver(sent[i]!, target.host));
      expect(delivered.body.equals(sent[i]!.body)).toBe(true);
      expect(hasValidSignature(delivered)).toBe(true);
    });
    const lines = deliveryLines(out.stdout());
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^→ 200 in \\d+ ms  POST /webhook/zendesk\\?n=${i + 1}  #${sent[i]!.id}$`)));
  });

  it('loses and repeats nothing when its connection is cut mid-stream', async () => {
    const { url } = await authbin();
    const link = await flakyLink(url);
    const target = await receiver(40);
    const out = recordingIo();
    const forwarding = runForward(['--from', `${link.url}/b/zd`, '--to', target.url, '--count', '8'], out.io, { signal: AbortSignal.timeout(30_000) });
    await out.waitFor(/connected, waiting for requests/);
    for (let n = 1; n <= 4; n++) await sendWebhook(`${url}/b/zd`, n);
    await out.waitFor(/^→ 200 .* #\d+$/m);
    link.cut();
    // Captured while the forwarder cannot reach authbin: it must fetch them after reconnecting.
    for (let n = 5; n <= 8; n++) await sendWebhook(`${url}/b/zd`, n);
    await out.waitFor(/lost the connection/);
    link.restore();
    expect(await forwarding).toBe(0);

    const invocations = target.received.map((r) => r.headers.find(([name]) => name === 'x-zendesk-webhook-invocation-id')?.[1]);
    expect(invocations).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(target.received.every(hasValidSignature)).toBe(true);
    expect(out.stderr()).toMatch(/reconnected, resuming after #\d+/);
    expect(deliveryLines(out.stdout())).toHaveLength(8);
  });

  it('with --after, first sends what was captured after that request', async () => {
    const { url } = await authbin();
    const target = await receiver();
    const first = await sendWebhook(`${url}/b/zd`, 1);
    const second = await sendWebhook(`${url}/b/zd`, 2);
    const out = recordingIo();
    expect(await runForward(['--from', `${url}/b/zd`, '--to', target.url, '--after', first.id, '--once'], out.io, { signal: AbortSignal.timeout(20_000) })).toBe(0);
    expect(deliveryLines(out.stdout())).toEqual([expect.stringMatching(new RegExp(`^→ 200 in \\d+ ms  POST /zendesk\\?n=2  #${second.id}$`))]);
    expect(target.received.map((r) => r.body.equals(second.body))).toEqual([true]);
  });

  it('reports a target that refuses the connection, and exits 1 with --once', async () => {
    const { url } = await authbin();
    const closed = await startReceiver();
    await closed.close();
    const out = recordingIo();
    const forwarding = runForward(['--from', `${url}/b/zd`, '--to', `${closed.url}/hook`, '--once'], out.io, { signal: AbortSignal.timeout(20_000) });
    await out.waitFor(/connected/);
    const { id } = await sendWebhook(`${url}/b/zd`, 1);
    expect(await forwarding).toBe(1);
    expect(deliveryLines(out.stdout())).toEqual([`✗ ${closed.host} refused the connection  POST /hook/zendesk?n=1  #${id}`]);
  });

  it('skips a request whose body was truncated, with a warning, rather than send part of it', async () => {
    const { url } = await authbin({ AUTHBIN_MAX_BODY_BYTES: '16' });
    const target = await receiver();
    const out = recordingIo();
    const forwarding = runForward(['--from', `${url}/b/zd`, '--to', target.url, '--once'], out.io, { signal: AbortSignal.timeout(20_000) });
    await out.waitFor(/connected/);
    const response = await fetch(`${url}/b/zd`, { method: 'POST', body: 'a body longer than sixteen bytes' });
    expect(response.status).toBe(413);
    expect(await forwarding).toBe(1);
    expect(out.stderr()).toMatch(/request #\d+ \(POST\) skipped: its body was truncated when captured/);
    expect(target.received).toEqual([]);
  });

  it('skips a request the HTTP parser refused, saying so, and sends nothing', async () => {
    const { url } = await authbin();
    const target = await receiver();
    const out = recordingIo();
    const forwarding = runForward(['--from', `${url}/b/zd`, '--to', target.url, '--once'], out.io, { signal: AbortSignal.timeout(20_000) });
    await out.waitFor(/connected/);
    const answer = await sendRaw(url, 'POST /b/zd HTTP/1.1\r\nHost: zd.test\r\nX-Zendesk-Webhook-Id : 1\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer.status).toBe(400);
    expect(await forwarding).toBe(1);
    expect(out.stderr()).toMatch(/request #\d+ not relayed: the HTTP parser refused it \(HPE_INVALID_HEADER_TOKEN\), so there is no valid request to send on/);
    expect(target.received).toEqual([]);
  });

  it('sends the token, and stops with one clear line when it is missing or wrong', async () => {
    const token = 'a-token-of-16-chars-or-more';
    const { url } = await authbin({ AUTHBIN_TOKEN: token });
    const target = await receiver();
    for (const [args, env, message] of [
      [[], {}, `${url} needs a token: pass --token or set AUTHBIN_TOKEN`],
      [['--token', 'wrong-token-wrong-token'], {}, `${url} refused the token`],
    ] as const) {
      const out = recordingIo();
      expect(await runForward(['--from', `${url}/b/zd`, '--to', target.url, ...args], out.io, { env })).toBe(1);
      expect(out.stderr()).toContain(message);
    }
    const out = recordingIo();
    const forwarding = runForward(['--from', `${url}/b/zd`, '--to', target.url, '--once'], out.io, { env: { AUTHBIN_TOKEN: token }, signal: AbortSignal.timeout(20_000) });
    await out.waitFor(/connected/);
    await sendWebhook(`${url}/b/zd`, 1);
    expect(await forwarding).toBe(0);
    expect(target.received).toHaveLength(1);
  });

  it('stops cleanly when its signal aborts', async () => {
    const { url } = await authbin();
    const out = recordingIo();
    const stop = new AbortController();
    const forwarding = runForward(['--from', `${url}/b/zd`, '--to', 'http://127.0.0.1:9/'], out.io, { signal: stop.signal });
    await out.waitFor(/connected/);
    stop.abort();
    expect(await forwarding).toBe(0);
  });

  it('refuses a bad command line with exit code 2', async () => {
    for (const [args, message] of [
      [['--to', 'http://localhost:3000'], '--from is required'],
      [['--from', 'http://authbin.example/api/bins/x', '--to', 'http://localhost:3000'], '--from must be a bin URL'],
      [['--from', 'http://authbin.example/b/x', '--to', 'http://authbin.example/b/x/sub'], '--to points back into the same bin'],
      [['--from', 'http://authbin.example/b/x', '--to', 'ftp://localhost'], '--to must be an http:// or https:// URL'],
      [['--from', 'http://authbin.example/b/x', '--to', 'http://localhost', '--once', '--count', '2'], 'give --once or --count, not both'],
    ] as const) {
      const out = recordingIo();
      expect(await runForward([...args], out.io)).toBe(2);
      expect(out.stderr()).toContain(message);
    }
  });
});
