import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from '../../../server/cli/forward/sse-reader.ts';

async function readAll(chunks: Uint8Array[]): Promise<ServerSentEvent[]> {
  async function* source() {
    yield* chunks;
  }
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(source())) events.push(event);
  return events;
}

/** Cuts bytes at the given positions, so chunk edges fall inside lines, CRLF pairs and UTF-8 characters. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

const lineText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ':', '{', '"', 'é', '😀', '\u2028'), maxLength: 12 });
const sentEvent = fc.record({
  type: fc.option(fc.string({ unit: fc.constantFrom('a', 'b', '-', '_'), minLength: 1, maxLength: 8 }), { nil: undefined }),
  id: fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
  dataLines: fc.array(lineText, { minLength: 1, maxLength: 3 }),
  comment: fc.boolean(),
});

describe('readServerSentEvents', () => {
  it('reads back every event, whatever the line endings and chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sentEvent, { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { maxLength: 12 }), async (sent, eol, cuts) => {
        let text = '';
        let lastId = '';
        const expected: ServerSentEvent[] = [];
        for (const event of sent) {
          if (event.comment) text += `: keep-alive${eol}`;
          if (event.type) text += `event: ${event.type}${eol}`;
          if (event.id !== undefined) text += `id:${event.id}${eol}`;
          for (const line of event.dataLines) text += `data: ${line}${eol}`;
          text += 'retry: 1000' + eol + eol;
          if (event.id !== undefined) lastId = event.id;
          expected.push({ type: event.type ?? 'message', data: event.dataLines.join('\n'), lastEventId: lastId });
        }
        expect(await readAll(split(new TextEncoder().encode(text), cuts))).toEqual(expected);
      }),
    );
  });

  it('drops an event cut off by the end of the stream', async () => {
    const events = await readAll([new TextEncoder().encode('id: 1\nevent: request\ndata: {}\n\nid: 2\nevent: request\ndata: {"half"')]);
    expect(events).toEqual([{ type: 'request', data: '{}', lastEventId: '1' }]);
  });

  it('reads what authbin sends: a ready event, then request events with their ids', async () => {
    const stream = 'event: ready\ndata: {"bin":"demo"}\nretry: 1000\n\nevent: request\ndata: {"id":"7"}\nid: 7\n\n: keep-alive\n\n';
    expect(await readAll([new TextEncoder().encode(stream)])).toEqual([
      { type: 'ready', data: '{"bin":"demo"}', lastEventId: '' },
      { type: 'request', data: '{"id":"7"}', lastEventId: '7' },
    ]);
  });
});
