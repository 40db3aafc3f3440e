import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail, RequestPage, VerifyResult } from '../../shared/api.ts';
import { runForward } from '../../server/cli/forward.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { expectedAtReceiver, hasValidSignature, recordingIo, sendWebhook, signingSecret, startReceiver, type SentWebhook } from '../cli/forward/webhooks.ts';

const running: RunningServer[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const server = await startServer(options);
  running.push(server);
  return server;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  return (await (await fetch(url, init)).json()) as T;
}

describe('authbin forward between two authbin processes', () => {
  it('brings a signed Zendesk webhook from a public authbin to a local one with identical bytes and a valid signature', async () => {
    const publicBin = await start();
    const local = await start();
    const out = recordingIo();
    const forwarding = runForward(['--from', `${publicBin.url}/b/zendesk`, '--to', `${local.url}/b/laptop`, '--count', '2'], out.io, {
      signal: AbortSignal.timeout(30_000),
    });
    await out.waitFor(/connected, waiting for requests/);
    const sent: SentWebhook[] = [await sendWebhook(`${publicBin.url}/b/zendesk`, 1), await sendWebhook(`${publicBin.url}/b/zendesk`, 2)];
    expect(await forwarding).toBe(0);

    const page = await json<RequestPage>(`${local.url}/api/bins/laptop/requests`);
    const arrived = page.requests.reverse();
    expect(arrived.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual(['POST /zendesk?n=1', 'POST /zendesk?n=2']);
    for (const [i, summary] of arrived.entries()) {
      const detail = await json<RequestDetail>(`${local.url}/api/requests/${summary.id}`);
      expect(detail.headers).toEqual(expectedAtReceiver(sent[i]!, new URL(local.url).host));
      expect(Buffer.from(detail.body.base64, 'base64').equals(sent[i]!.body)).toBe(true);
      const verified = await json<VerifyResult>(`${local.url}/api/requests/${summary.id}/verify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ secret: signingSecret, scheme: 'zendesk' }),
      });
      expect(verified.signatures.map((s) => [s.scheme, s.status])).toEqual([['zendesk', 'valid']]);
    }
  });

  it('loses and repeats nothing when the public authbin restarts mid-stream', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'authbin-forward-'));
    folders.push(folder);
    const dbPath = join(folder, 'public.db');
    let publicBin = await start({ dbPath });
    const { port } = new URL(publicBin.url);
    // A slow receiver, so that the restart falls while requests are still on their way.
    const target = await startReceiver(60);
    const out = recordingIo();
    const forwarding = runForward(['--from', `${publicBin.url}/b/zendesk`, '--to', target.url, '--count', '10'], out.io, {
      signal: AbortSignal.timeout(45_000),
    });
    try {
      await out.waitFor(/connected, waiting for requests/);
      for (let n = 1; n <= 5; n++) await sendWebhook(`${publicBin.url}/b/zendesk`, n);
      await out.waitFor(/^→ 200 .* #\d+$/m);
      await publicBin.stop();
      running.splice(running.indexOf(publicBin), 1);
      publicBin = await start({ dbPath, args: ['--port', port] });
      // Captured before the forwarder is back: it must ask for them with Last-Event-ID.
      for (let n = 6; n <= 10; n++) await sendWebhook(`${publicBin.url}/b/zendesk`, n);
      expect(await forwarding).toBe(0);
    } finally {
      await target.close();
    }
    const invocations = target.received.map((r) => r.headers.find(([name]) => name === 'x-zendesk-webhook-invocation-id')?.[1]);
    expect(invocations).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(target.received.every(hasValidSignature)).toBe(true);
    expect(out.stderr()).toMatch(/reconnected, resuming after #\d+/);
  });
});
