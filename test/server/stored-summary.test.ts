import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HeaderPair } from '../../shared/auth/types.ts';
import { migrate } from '../../server/store/sqlite/migrations.ts';
import { searchFilePath } from '../../server/store/sqlite/search-file.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { readStoredSummary, storedSummaryText, summaryTag } from '../../server/store/stored-summary.ts';
import type { StoredRequest } from '../../server/store/store.ts';
import { summaryOf, toSummary } from '../../server/request-views.ts';
import { captured } from '../helpers/captured.ts';

const basic = (credentials: string, encoding: BufferEncoding = 'utf8') => `Basic ${Buffer.from(credentials, encoding).toString('base64')}`;
const jwt = (claims: object) => `Bearer eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;

/** Authorization values that lead the analysis down its different paths, and some it cannot read at all. */
const authorizations = [
  basic('me@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'),
  basic('me@example.com:hunter2'),
  basic('me@example.com/token:abc123\n'),
  basic('me@example.com/token:abc', 'utf16le'),
  basic('me@example.com/token:abc:'),
  jwt({ sub: 'x', exp: 1_700_000_000 }),
  'Bearer 0123456789abcdef',
  'Basic Basic_64_encoded_code',
  'bearer',
  '',
];

/** Header text as Node reads it: one char per byte, so UTF-8 and stray high bytes both occur. */
const latin1Text = fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes).toString('latin1'));

const storedRequest: fc.Arbitrary<StoredRequest> = fc
  .record({
    authorization: fc.option(fc.oneof(fc.constantFrom(...authorizations), latin1Text), { nil: undefined }),
    authorizationName: fc.constantFrom('Authorization', 'authorization', 'Authorisation'),
    contentType: fc.option(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain; charset=utf-8'), { nil: undefined }),
    extra: fc.array(fc.tuple(fc.constantFrom('X-Api-Key', 'X-Note', 'Cookie'), latin1Text), { maxLength: 3 }),
    body: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('{"password":"hunter2"}', 'api_token=abc&email=me%40example.com').map((text) => new TextEncoder().encode(text))),
    query: fc.constantFrom('', 'api_token=6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv', 'page=2'),
    receivedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  })
  .map((r) => {
    const headers: HeaderPair[] = [['Host', 'example.com'], ...r.extra];
    if (r.authorization !== undefined) headers.push([r.authorizationName, r.authorization]);
    if (r.contentType !== undefined) headers.push(['Content-Type', r.contentType]);
    return { ...captured('bin', { headers, body: r.body, bodySize: r.body.byteLength, query: r.query, receivedAt: r.receivedAt }), id: '7' };
  });

describe('storedSummaryText', () => {
  it('reads back as exactly the list entry that analysing the request gives', () => {
    fc.assert(
      fc.property(storedRequest, (request) => {
        const stored = readStoredSummary(storedSummaryText(request));
        expect(stored).toBeDefined();
        expect(JSON.stringify(summaryOf(request, stored!))).toBe(JSON.stringify(toSummary(request)));
      }),
      { numRuns: 300 },
    );
  });

  it('is not read when missing or stored under another tag', () => {
    const request = { ...captured('bin', { headers: [['Authorization', authorizations[0]!]] }), id: '1' };
    const current = storedSummaryText(request);
    expect(current.startsWith(summaryTag)).toBe(true);
    expect(readStoredSummary(null)).toBeUndefined();
    expect(readStoredSummary(`s0:${current.slice(summaryTag.length)}`)).toBeUndefined();
  });
});

describe('readStoredSummary', () => {
  it('gives equal texts the same frozen parts', () => {
    const text = storedSummaryText({ ...captured('bin', { headers: [['Authorization', authorizations[0]!]] }), id: '1' });
    const parts = readStoredSummary(text)!;
    expect(readStoredSummary(`${text}`)).toBe(parts);
    expect(Object.isFrozen(parts) && Object.isFrozen(parts.auth)).toBe(true);
  });
});

describe('request lists on SqliteStore', () => {
  const options = { maxRequestsPerBin: 10_000, retentionDays: 7 };
  let dir: string;
  let path: string;
  let store: SqliteStore;
  /** A connection to the search file, to look at and change the summaries kept there, as another process could. */
  let peek: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-summaries-'));
    path = join(dir, 'db');
  });
  afterEach(async () => {
    await store?.close();
    peek?.close();
    peek = undefined!;
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    store = new SqliteStore(path, options);
    peek ??= new Database(searchFilePath(path));
    peek.pragma('busy_timeout = 5000');
  };
  const summaryCount = () => peek.prepare('SELECT count(*) FROM request_summaries').pluck().get() as number;
  const summaryTexts = () => peek.prepare('SELECT text FROM summary_texts ORDER BY text').pluck().all() as string[];
  /** Points request `id`'s summary at `text`, as if the indexer had stored that. */
  const plantSummary = (id: number, text: string) => {
    const summaryId = peek.prepare('INSERT INTO summary_texts (text) VALUES (?)').run(text).lastInsertRowid;
    peek.prepare('UPDATE request_summaries SET summary_id = ? WHERE id = ?').run(summaryId, id);
  };
  /** Waits (up to 10 s: background work on a busy machine) until the upkeep thread keeps `count` summaries. */
  const summarized = (count: number) => vi.waitFor(() => expect(summaryCount()).toBe(count), { timeout: 10_000, interval: 10 });
  /** What the list shows, as the API sends it. */
  const listed = async (bin: string, query: { limit: number; before?: string } = { limit: 50 }) => JSON.stringify(await store.listSummaries(bin, query));
  const analysedNow = async (bin: string, query: { limit: number; before?: string } = { limit: 50 }) => {
    const page = await store.listRequests(bin, query);
    return JSON.stringify({ requests: page.requests.map(toSummary), next: page.next });
  };

  async function captureVaried(bin: string): Promise<void> {
    for (const [i, authorization] of authorizations.entries()) {
      const headers: HeaderPair[] = [['Host', 'h'], ['Content-Type', i % 2 ? 'application/json' : 'text/plain'], ['Authorization', authorization]];
      await store.capture(captured(bin, { headers, path: `/hook/${i}`, body: Buffer.from(`{"n":${i}}`), bodySize: 7 }));
    }
  }

  it('lists the same page from stored summaries as from analysing each request, page after page', async () => {
    open();
    await captureVaried('b');
    const expected = [await analysedNow('b', { limit: 4 }), await analysedNow('b', { limit: 4, before: '7' }), await analysedNow('b')];

    await summarized(authorizations.length);
    expect([await listed('b', { limit: 4 }), await listed('b', { limit: 4, before: '7' }), await listed('b')]).toEqual(expected);

    // Without stored summaries (before the indexer reaches them, or on an upgraded database) each is analysed.
    peek.exec('DELETE FROM request_summaries');
    expect([await listed('b', { limit: 4 }), await listed('b', { limit: 4, before: '7' }), await listed('b')]).toEqual(expected);
  });

  it('shows what the stored summary says, and ignores one stored under another tag', async () => {
    open();
    await captureVaried('b');
    await summarized(authorizations.length);
    const expected = await listed('b');
    const planted = { contentType: 'text/x-planted', auth: { scheme: 'Planted', user: null, kind: null, worst: 'info' } };

    plantSummary(3, summaryTag + JSON.stringify(planted));
    const entry = (await store.listSummaries('b', { limit: 50 })).requests.find((r) => r.id === '3');
    expect(entry).toMatchObject(planted);

    plantSummary(3, 's0:' + JSON.stringify(planted));
    expect(await listed('b')).toBe(expected);
  });

  it('keeps each distinct summary once', async () => {
    open();
    await captureVaried('b');
    await captureVaried('c');
    await summarized(2 * authorizations.length);
    const page = (await store.listSummaries('b', { limit: 50 })).requests;
    const distinct = new Set(page.map(({ contentType, auth }) => summaryTag + JSON.stringify({ contentType, auth })));
    expect(distinct.size).toBeGreaterThan(1);
    expect(summaryTexts()).toEqual([...distinct].sort());
  });

  it('forgets the summaries of deleted requests, and the texts no request uses any more', async () => {
    open();
    await captureVaried('b');
    await captureVaried('c');
    // One request whose summary no other has: its text goes with it.
    await store.capture(captured('c', { headers: [['Content-Type', 'text/x-only-one']] }));
    await summarized(2 * authorizations.length + 1);
    const texts = summaryTexts();

    await store.deleteRequest('2');
    await summarized(2 * authorizations.length);
    expect(peek.prepare('SELECT count(*) FROM request_summaries WHERE id = 2').pluck().get()).toBe(0);
    expect(summaryTexts()).toEqual(texts);
    await store.deleteRequest(String(2 * authorizations.length + 1));
    await summarized(2 * authorizations.length - 1);
    expect(summaryTexts()).toEqual(texts.filter((text) => !text.includes('text/x-only-one')));
    await store.clearBin('c');
    await summarized(authorizations.length - 1);
    await store.deleteBin('b');
    await summarized(0);
    expect(summaryTexts()).toEqual([]);
  });

  it('lists the requests of a database from before summaries at once, and summarizes them in the background', async () => {
    const receivedAt = Date.now();
    const v3 = new Database(path);
    migrate(v3, 3);
    v3.prepare('INSERT INTO bins (id, created_at, request_count) VALUES (?, ?, 1)').run('old', receivedAt);
    v3.prepare(`INSERT INTO requests (bin, received_at, method, path, query, http_version, headers, body, body_size, truncated)
      VALUES ('old', ?, 'POST', '/legacy', '', '1.1', ?, X'6869', 2, 0)`).run(receivedAt, JSON.stringify([['Authorization', authorizations[1]]]));
    v3.close();

    open();
    const [entry] = (await store.listSummaries('old', { limit: 5 })).requests;
    expect(entry).toMatchObject({
      path: '/legacy',
      receivedAt: new Date(receivedAt).toISOString(),
      contentType: null,
      auth: { scheme: 'Basic', user: 'me@example.com', kind: 'password' },
    });
    const before = await listed('old');
    await summarized(1);
    expect(await listed('old')).toBe(before);
  });

  it('builds a search file of an older layout again, listing the same meanwhile and summarizing every request', async () => {
    open();
    await captureVaried('b');
    await summarized(authorizations.length);
    const expected = await listed('b');
    await store.close();
    // Layout 1 kept each request's summary text in its own row.
    peek.exec(`DROP TABLE request_summaries; DROP TABLE summary_texts;
      CREATE TABLE request_summaries (id INTEGER PRIMARY KEY, summary TEXT NOT NULL) STRICT; PRAGMA user_version = 1`);

    open();
    expect(await listed('b')).toBe(expected);
    await store.capture(captured('b', { headers: [['Authorization', authorizations[0]!]] }));
    await summarized(authorizations.length + 1);
    expect(await listed('b')).toBe(await analysedNow('b'));
  });
});
