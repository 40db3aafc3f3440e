import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilter } from '../../server/store/request-filter.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import type { CapturedRequest, RequestFilter, Store, StoredRequest } from '../../server/store/store.ts';
import { openTestStore, testEngines } from '../helpers/app.ts';

/** Words that tokenizers treat differently: accents, case folding, joiners, e-mail addresses, digits. */
const vocabulary = ['printer', 'Print', 'FIRE', 'café', 'CAFÉ', 'naïve', 'straße', 'x-ray', 'me@example.com', 'user_name', 'ab12', '12ab', '2024', 'ünïcödé', 'tok.en', 'a/b', 'Ticket'];
const methods = ['GET', 'POST', 'PUT', 'PROPFIND'];

const text = fc.array(fc.constantFrom(...vocabulary), { maxLength: 4 }).map((words) => words.join(' '));
const request = fc.record({
  method: fc.constantFrom(...methods),
  path: fc.array(fc.constantFrom(...vocabulary), { maxLength: 2 }).map((parts) => `/${parts.map(encodeURIComponent).join('/')}`),
  body: text,
  header: fc.option(fc.tuple(fc.constantFrom('X-Event', 'x-event', 'X-Note'), text), { nil: undefined }),
});
/** A word of the vocabulary, or the start of one (searches match word prefixes). */
const term = fc.tuple(fc.constantFrom(...vocabulary), fc.integer({ min: 1, max: 8 })).map(([word, length]) => word.slice(0, length));
const filter: fc.Arbitrary<RequestFilter> = fc
  .record(
    {
      q: fc.array(term, { minLength: 1, maxLength: 2 }).map((terms) => terms.join(' ')),
      method: fc.constantFrom(...methods),
      header: fc.record({ name: fc.constantFrom('x-event', 'X-NOTE'), value: fc.oneof(term, fc.constant('')) }),
    },
    { requiredKeys: [] },
  )
  .filter((f) => Object.keys(f).length > 0);

function captured(bin: string, seq: number, r: { method: string; path: string; body: string; header: [string, string] | undefined }): CapturedRequest {
  const body = Buffer.from(r.body);
  return {
    bin,
    receivedAt: Date.now(),
    method: r.method,
    path: r.path,
    query: '',
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    remotePort: 1,
    headers: [['X-Seq', String(seq)], ...(r.header ? [[r.header[0], Buffer.from(r.header[1]).toString('latin1')] as [string, string]] : [])],
    body,
    bodySize: body.length,
    truncated: false,
  };
}

const seqOf = (request: StoredRequest) => request.headers[0]![1];

/** Every match, newest first, a page of three at a time. */
async function search(store: Store, bin: string, filter: RequestFilter): Promise<string[]> {
  const seen: string[] = [];
  let before: string | undefined;
  do {
    const page = await store.listRequests(bin, { limit: 3, filter, ...(before && { before }) });
    seen.push(...page.requests.map(seqOf));
    before = page.next ?? undefined;
  } while (before);
  return seen;
}

describe.each(testEngines())('search on $name', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await engine.createDatabase();
    drop = database.drop;
    store = await openTestStore(database.db);
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('finds exactly the requests the filter matches, whatever the words', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), fc.array(filter, { minLength: 1, maxLength: 4 }), async (requests, filters) => {
        const bin = `parity-${run++}`;
        const stored: StoredRequest[] = [];
        for (const [seq, r] of requests.entries()) stored.push(await store.capture(captured(bin, seq, r)));
        // SQLite indexes in the background: wait for it, so that its index is what is tested.
        if (store instanceof SqliteStore) await store.whenIndexedThrough(stored.at(-1)!.id);
        for (const f of filters) {
          const expected = stored.filter((r) => matchesFilter(r, f)).reverse().map(seqOf);
          expect(await search(store, bin, f), JSON.stringify(f)).toEqual(expected);
        }
      }),
      { numRuns: 20 },
    );
  });
});
