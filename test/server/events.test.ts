import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestSummary } from '../../shared/api.ts';
import { createApp } from '../../server/app.ts';
import { createHttpServer } from '../../server/http-server.ts';
import { LiveHub } from '../../server/live/hub.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

describe.each(testEngines())('live events on $name', (engine) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    base = await t.listen();
  });
  afterAll(() => t.close());

  interface SseEvent {
    event: string;
    id?: string;
    data: string;
  }

  /** Reads SSE events from a live stream until `count` request events arrived. */
  async function readEvents(response: Response, count: number): Promise<SseEvent[]> {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: SseEvent[] = [];
    let buffer = '';
    while (events.filter((e) => e.event === 'request').length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        if (!block.startsWith(':')) events.push(event);
      }
    }
    await reader.cancel();
    return events.filter((e) => e.event === 'request');
  }

  const send = async (bin: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const response = await fetch(`${base}/b/${bin}/hook-${i}`, { method: 'POST', body: `${i}` });
      ids.push(((await response.json()) as { id: string }).id);
    }
    return ids;
  };

  describe('live events', () => {
    it('delivers each new request of the bin, and only of that bin', async () => {
      const stream = await fetch(`${base}/api/bins/live/events`);
      expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
      // The stream subscribes before it answers: once its headers are in, no capture can be missed.
      const reading = readEvents(stream, 3);
      await send('other', 1);
      const ids = await send('live', 3);
      const events = await reading;
      expect(events.map((e) => e.id)).toEqual(ids);
      const summary = JSON.parse(events[0]!.data) as RequestSummary;
      expect(summary).toMatchObject({ id: ids[0], bin: 'live', method: 'POST', path: '/hook-0', size: 1 });
    });

    it('replays what was missed after Last-Event-ID, then goes on live', async () => {
      const [first, ...missed] = await send('resume', 4);
      const stream = await fetch(`${base}/api/bins/resume/events`, { headers: { 'Last-Event-ID': first! } });
      const reading = readEvents(stream, 5);
      const live = await send('resume', 2);
      const events = await reading;
      expect(events.map((e) => e.id)).toEqual([...missed, ...live]);
    });

    it('rejects a bad Last-Event-ID, or ?lastEventId=, with a JSON error that names it', async () => {
      for (const [init, query, given] of [[{ headers: { 'Last-Event-ID': 'abc' } }, '', 'abc'], [{}, '?lastEventId=12x', '12x']] as const) {
        const response = await fetch(`${base}/api/bins/resume/events${query}`, init);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(await response.json()).toEqual({ error: { code: 'invalid_id', message: `invalid Last-Event-ID "${given}": expected a positive whole number` } });
      }
    });

    it('opens with a ready event that sets the reconnection delay, and sends the SSE and security headers', async () => {
      const stream = await fetch(`${base}/api/bins/heads/events`);
      const api = await fetch(`${base}/api/bins`);
      await api.arrayBuffer();
      expect(stream.status).toBe(200);
      expect(stream.headers.get('cache-control')).toMatch(/no-cache/);
      expect(stream.headers.get('cache-control')).toMatch(/no-transform/);
      expect(stream.headers.get('x-accel-buffering')).toBe('no');
      const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'content-security-policy': api.headers.get('content-security-policy') };
      expect(security['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self';/);
      for (const [name, value] of Object.entries(security)) {
        expect({ [name]: stream.headers.get(name) }).toEqual({ [name]: value });
        expect({ [name]: api.headers.get(name) }).toEqual({ [name]: value });
      }
      const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
      await reader.cancel();
      expect(text.slice(0, text.indexOf('\n\n'))).toBe('event: ready\ndata: {"bin":"heads"}\nretry: 1000');

      // HEAD gets the head and no endless body.
      const head = await fetch(`${base}/api/bins/heads/events`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/text\/event-stream/);
    });

    it('delivers a burst of concurrent captures to every subscriber, each once and in id order', async () => {
      // The stream subscribes before it answers, so once the headers are in, no capture can be missed.
      const streams = await Promise.all([1, 2, 3].map(() => fetch(`${base}/api/bins/burst/events`)));
      const readings = streams.map((stream) => readEvents(stream, 120));
      const responses = await Promise.all(Array.from({ length: 120 }, (_, i) => fetch(`${base}/b/burst/n${i}`, { method: 'POST', body: `${i}` })));
      const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
      for (const events of await Promise.all(readings)) {
        expect(events.map((e) => e.id)).toEqual([...ids].sort(byId));
      }
    });

    it('replays more than a page of missed requests from ?lastEventId=, with captures racing the replay, without gap or duplicate', async () => {
      const sendConcurrently = async (from: number, n: number) => {
        const responses = await Promise.all(Array.from({ length: n }, (_, i) => fetch(`${base}/b/long-resume/m${from + i}`, { method: 'POST' })));
        return Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
      };
      const [first] = await sendConcurrently(0, 1);
      const missed: string[] = [];
      for (let sent = 0; sent < 450; sent += 50) missed.push(...(await sendConcurrently(1 + sent, 50)));
      // New captures race the opening streams: each is replayed or sent live, whichever way it falls.
      const opening = [0, 1, 2, 3].map(async (i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 5));
        return fetch(`${base}/api/bins/long-resume/events?lastEventId=${first}`);
      });
      const [live, ...streams] = await Promise.all([sendConcurrently(451, 60), ...opening]);
      const expected = [...missed, ...live].sort(byId);
      for (const events of await Promise.all(streams.map((stream) => readEvents(stream, expected.length)))) {
        expect(events.map((e) => e.id)).toEqual(expected);
      }
    });

    it('streams under app.request() as well, where there is no Node response to write to', async () => {
      const stream = await t.app.request('/api/bins/in-process/events');
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
      expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
      const reading = readEvents(stream, 2);
      const ids = [];
      for (const body of ['a', 'b']) ids.push(((await (await t.app.request('/b/in-process/x', { method: 'POST', body })).json()) as { id: string }).id);
      expect((await reading).map((e) => e.id)).toEqual(ids);
    });
  });

  describe('with AUTHBIN_TOKEN set', () => {
    const token = 'live-events-token-0123';
    let guarded: TestApp;
    let guardedBase: string;
    beforeAll(async () => {
      guarded = await startTestApp(engine, { AUTHBIN_TOKEN: token });
      guardedBase = await guarded.listen();
    });
    afterAll(() => guarded.close());

    it('answers 401 without the token and streams with it', async () => {
      const refused = await fetch(`${guardedBase}/api/bins/gated/events`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      await refused.arrayBuffer();
      const wrong = await fetch(`${guardedBase}/api/bins/gated/events`, { headers: { Authorization: `Bearer ${token}x` } });
      expect(wrong.status).toBe(401);
      await wrong.arrayBuffer();

      const stream = await fetch(`${guardedBase}/api/bins/gated/events`, { headers: { Authorization: `Bearer ${token}` } });
      expect(stream.status).toBe(200);
      const reading = readEvents(stream, 1);
      const sent = (await (await fetch(`${guardedBase}/b/gated/hook`, { method: 'POST' })).json()) as { id: string };
      expect((await reading).map((e) => e.id)).toEqual([sent.id]);
    });
  });

  describe('keep-alive, slow subscribers and shutdown', () => {
    /** The test store served by an app with a hub of its own (as main.ts passes one in), on a port of its own. */
    async function serveWithHub(hub: LiveHub) {
      const server: Server = createHttpServer(createApp({ store: t.store, config: t.config, hub }));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        async close() {
          hub.close();
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        },
      };
    }

    /** An event stream read with node:http, so the test decides when (or whether) it is read. */
    function openStream(url: string, headers: Record<string, string> = {}) {
      return new Promise<IncomingMessage>((resolve, reject) => {
        const req = httpRequest(url, { agent: false, headers }, (response) => {
          // A stream the server cuts off ends with an "aborted" error: its `close` is what the tests watch.
          response.on('error', () => undefined);
          resolve(response);
        });
        req.on('error', reject);
        req.end();
      });
    }

    /** Reads a stream from now on: the request events complete so far, and when it ended. */
    function collect(response: IncomingMessage) {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((resolve) => response.once('close', resolve));
      response.resume();
      // Like a browser, ignore an event the stream was cut off in the middle of.
      const ids = () =>
        text
          .slice(0, text.lastIndexOf('\n\n') + 2)
          .split('\n\n')
          .filter((block) => block.startsWith('event: request'))
          .map((block) => /^id: (.*)$/m.exec(block)![1]!);
      return { ids, text: () => text, ended };
    }

    /** Waits (up to 10 s: a busy machine) until `check` holds. */
    const until = (check: () => boolean, what: string) => vi.waitFor(() => expect(check(), what).toBe(true), { timeout: 10_000, interval: 10 });

    it('cuts off a subscriber that stops reading once its backlog passes the bound, and replays the rest when it comes back', async () => {
      const served = await serveWithHub(new LiveHub(t.store, { maxBacklogBytes: 64 * 1024 }));
      let cutOff = false;
      served.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.url?.endsWith('/stalled/events')) res.once('close', () => (cutOff = true));
      });
      try {
        const stalled = await openStream(`${served.url}/api/bins/stalled/events`);
        stalled.pause();
        const reader = collect(await openStream(`${served.url}/api/bins/stalled/events?reader`));
        // ~12 KB per event, so that the socket buffers (megabytes on loopback) fill in a few waves.
        const padding = 'p'.repeat(12_000);
        const sent: string[] = [];
        for (let wave = 0; !cutOff && wave < 100; wave++) {
          const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${served.url}/b/stalled/x?${padding}`, { method: 'POST' })));
          sent.push(...(await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id))));
        }
        expect(cutOff, 'the server closed the stalled stream').toBe(true);
        const expected = [...sent].sort(byId);
        // The subscriber that kept reading was not held back: it has every event.
        await until(() => reader.ids().length >= sent.length, `the reading subscriber has all ${sent.length} events`);
        expect(reader.ids()).toEqual(expected);

        const cut = collect(stalled);
        await cut.ended;
        const received = cut.ids();
        expect(received.length).toBeLessThan(sent.length);
        expect(received, 'what arrived before the cut is a gapless start').toEqual(expected.slice(0, received.length));
        const resumed = await fetch(`${served.url}/api/bins/stalled/events`, { headers: { 'Last-Event-ID': received.at(-1) ?? '0' } });
        expect((await readEvents(resumed, sent.length - received.length)).map((e) => e.id)).toEqual(expected.slice(received.length));
      } finally {
        await served.close();
      }
    });

    it('sends a keep-alive comment at each interval, so that a quiet stream is not closed as idle', async () => {
      const served = await serveWithHub(new LiveHub(t.store, { keepAliveMs: 40 }));
      try {
        const quiet = collect(await openStream(`${served.url}/api/bins/quiet/events`));
        await until(() => quiet.text().split(': keep-alive\n\n').length > 3, 'three keep-alive comments arrived');
        expect(quiet.text()).toMatch(/^event: ready\n[^]*\n\n: keep-alive\n\n: keep-alive\n\n: keep-alive\n\n/);
      } finally {
        await served.close();
      }
    });

    it('on shutdown (hub.close), sends what was committed and then ends every open stream cleanly', async () => {
      const hub = new LiveHub(t.store);
      const served = await serveWithHub(hub);
      try {
        const streams = await Promise.all([1, 2].map(() => openStream(`${served.url}/api/bins/closing/events`)));
        const readings = streams.map(collect);
        // The hub hears of a commit as the store tells its listeners: at once on SQLite, on the NOTIFY on
        // PostgreSQL. A listener added after the hub's hears of it after the hub has.
        const heard = new Promise<void>((resolve) => {
          const stop = t.store.onCapture((request) => {
            if (request.bin !== 'closing') return;
            stop();
            resolve();
          });
        });
        const sent = (await (await fetch(`${served.url}/b/closing/last`, { method: 'POST' })).json()) as { id: string };
        await heard;
        hub.close();
        await Promise.all(readings.map((r) => r.ended));
        for (const reading of readings) expect(reading.ids()).toEqual([sent.id]);
        expect(streams.map((s) => s.complete), 'ended, not cut off').toEqual([true, true]);
      } finally {
        await served.close();
      }
    });
  });
});
