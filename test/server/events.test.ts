import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestSummary } from '../../shared/api.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

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
      const reading = readEvents(stream, 3);
      await new Promise((resolve) => setTimeout(resolve, 50));
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
      await new Promise((resolve) => setTimeout(resolve, 50));
      const live = await send('resume', 2);
      const events = await reading;
      expect(events.map((e) => e.id)).toEqual([...missed, ...live]);
    });

    it('rejects a bad Last-Event-ID', async () => {
      const response = await fetch(`${base}/api/bins/resume/events`, { headers: { 'Last-Event-ID': 'abc' } });
      expect(response.status).toBe(400);
    });
  });
});
