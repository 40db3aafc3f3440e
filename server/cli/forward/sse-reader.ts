/**
 * A Server-Sent Events parser (the WHATWG "event stream interpretation"), since Node 20 has no
 * EventSource: it turns a byte stream into events, however the bytes are split into chunks.
 */

export interface ServerSentEvent {
  /** The `event:` field, `message` when none was given. */
  type: string;
  data: string;
  /** The last `id:` seen on the stream so far (it carries over to later events), '' before any. */
  lastEventId: string;
}

/**
 * Yields each complete event; an event cut off by the end of the stream is dropped, as a browser
 * would drop it. Comments (`: keep-alive`) and `retry:` lines are read and ignored.
 *
 * @example
 * for await (const event of readServerSentEvents(response)) if (event.type === 'request') …
 */
export async function* readServerSentEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  const lineEnd = /\r\n|\r|\n/g;
  let buffer = '';
  let type = '';
  let data: string[] = [];
  let lastEventId = '';
  let firstChunk = true;

  /** Reads one line; returns the event it completes, if any. */
  function interpret(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const event = data.length > 0 ? { type: type || 'message', data: data.join('\n'), lastEventId } : undefined;
      type = '';
      data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    return undefined;
  }

  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (firstChunk && text !== '') {
      text = text.replace(/^\ufeff/, '');
      firstChunk = false;
    }
    buffer += text;
    let start = 0;
    for (;;) {
      lineEnd.lastIndex = start;
      const found = lineEnd.exec(buffer);
      // A \r at the very end may be the first half of \r\n: the next chunk will tell.
      if (!found || (found[0] === '\r' && found.index === buffer.length - 1)) break;
      const event = interpret(buffer.slice(start, found.index));
      start = found.index + found[0].length;
      if (event) yield event;
    }
    buffer = buffer.slice(start);
  }
  // The stream ended: a held-back \r ended its line after all.
  if (buffer.endsWith('\r')) {
    const event = interpret(buffer.slice(0, -1));
    if (event) yield event;
  }
}
