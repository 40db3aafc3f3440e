import type Database from 'better-sqlite3';
import type { RequestPage, RequestSummary } from '../../../shared/api.ts';
import { analyzedBodyBytes, summaryOf, summaryParts } from '../../request-views.ts';
import { ListedSummaries } from '../listed-summaries.ts';
import { pageOf, pageStart, rowsForPage } from '../paging.ts';
import { searchTerms } from '../request-filter.ts';
import { readStoredSummary } from '../stored-summary.ts';
import type { RequestTable } from '../engine.ts';
import { requestColumns, requestColumnsWith, toStoredRequest, type RequestRow, type SummaryRow } from './rows.ts';
import { ftsMatch } from './search-terms.ts';

type RequestReads = Pick<RequestTable, 'page' | 'summaryPage' | 'candidates' | 'after' | 'get'>;

/** Above every id: the bound of a scan from the newest request. */
const aboveAll = BigInt(Number.MAX_SAFE_INTEGER);

/** A request list reads neither headers nor body: the stored summary holds what it shows of them. */
const selectSummaryRows = `SELECT r.id, r.received_at, r.method, r.path, r.query, r.body_size, r.parser_error, t.text
  FROM requests AS r LEFT JOIN search.request_summaries AS s ON s.id = r.id LEFT JOIN search.summary_texts AS t ON t.id = s.summary_id`;

/**
 * Reading requests back; `indexedUpTo` tells up to which id every request is in the search index.
 *
 * Every bound limit is `LIMIT ? + 0`, not `LIMIT ?`: SQLite (3.53 in better-sqlite3 12) plans with
 * the value bound to a bare `LIMIT ?`, so every new binding (each call from better-sqlite3) expires
 * the statement, and its next step compiles it again: some 20–30 µs for a page of 50. A sum is left
 * to run time.
 */
export function sqliteRequestReads(db: Database.Database, indexedUpTo: () => number): RequestReads {
  const s = {
    pageNewest: db.prepare(`SELECT ${requestColumns} FROM requests WHERE bin = ? ORDER BY id DESC LIMIT ? + 0`),
    pageBefore: db.prepare(`SELECT ${requestColumns} FROM requests WHERE bin = ? AND id < ? ORDER BY id DESC LIMIT ? + 0`),
    summariesNewest: db.prepare(`${selectSummaryRows} WHERE r.bin = ? ORDER BY r.id DESC LIMIT ? + 0`).raw(),
    summariesBefore: db.prepare(`${selectSummaryRows} WHERE r.bin = ? AND r.id < ? ORDER BY r.id DESC LIMIT ? + 0`).raw(),
    // A request with only the first bytes of its body, the ones the analysis looks at.
    analyzedRequest: db.prepare(`SELECT ${requestColumnsWith(`coalesce(substr(requests.body, 1, ${analyzedBodyBytes}), x'')`)} FROM requests WHERE id = ?`),
    after: db.prepare(`SELECT ${requestColumns} FROM requests WHERE bin = ? AND id > ? ORDER BY id LIMIT ? + 0`),
    getRequest: db.prepare(`SELECT ${requestColumns} FROM requests WHERE id = ?`),
    binPageAbove: db.prepare(`SELECT ${requestColumns} FROM requests WHERE bin = ? AND id > ? AND id < ? ORDER BY id DESC LIMIT ? + 0`),
    // The index narrows across all bins; the join keeps this bin's rows.
    searchBefore: db.prepare(`SELECT ${requestColumns} FROM search.request_search JOIN requests ON requests.id = request_search.rowid
      WHERE request_search MATCH ? AND request_search.rowid < ? AND requests.bin = ? ORDER BY request_search.rowid DESC LIMIT ? + 0`),
  };
  const stored = (rows: unknown[]) => (rows as RequestRow[]).map(toStoredRequest);

  const listed = new ListedSummaries();
  /** From the stored summary; a request the indexer has not summarized (yet, or in this version) is analysed now, once. */
  const toListed = (bin: string) =>
    ([id, receivedAt, method, path, query, bodySize, parserError, summary]: SummaryRow): RequestSummary => {
      const key = String(id);
      const parts = readStoredSummary(summary) ?? listed.partsOf(key, () => summaryParts(toStoredRequest(s.analyzedRequest.get(id) as RequestRow)));
      return summaryOf({ id: key, bin, method, path, query, receivedAt, bodySize, parserError }, parts);
    };

  return {
    /** A page of a bin's requests, newest first. */
    page(bin, limit, before) {
      const start = pageStart(before);
      const rows = start === undefined ? s.pageNewest.all(bin, rowsForPage(limit)) : s.pageBefore.all(bin, start, rowsForPage(limit));
      return pageOf(rows as RequestRow[], limit, toStoredRequest);
    },

    /**
     * The same page as a request list shows it, read in one transaction so that a request read
     * again to be analysed is the one the page found. Wrapped once here: `db.transaction()` costs
     * some 20 µs a call.
     */
    summaryPage: db.transaction((bin: string, limit: number, before: string | undefined): RequestPage => {
      const start = pageStart(before);
      const rows = start === undefined ? s.summariesNewest.all(bin, rowsForPage(limit)) : s.summariesBefore.all(bin, start, rowsForPage(limit));
      return pageOf(rows as SummaryRow[], limit, toListed(bin));
    }),

    /** Oldest first: the requests of a bin with an id above `afterId`. */
    after: (bin, afterId, limit) => stored(s.after.all(bin, BigInt(afterId), limit)),

    get(id) {
      const row = s.getRequest.get(BigInt(id)) as RequestRow | undefined;
      return row && toStoredRequest(row);
    },

    /**
     * Where a filtered scan of a bin finds its candidates: the requests the index has not seen yet
     * (above `indexedUpTo()`), one by one, then the full-text index (or the bin's rows, when the
     * filter has nothing the index can narrow by).
     */
    candidates(bin, filter) {
      const terms = searchTerms(filter, bin);
      const match = terms && ftsMatch(terms);
      const upTo = indexedUpTo();
      return [
        { above: BigInt(upTo), read: (below, count) => stored(s.binPageAbove.all(bin, upTo, below ?? aboveAll, count)) },
        {
          read: (below, count) =>
            stored(match === null ? s.pageBefore.all(bin, below ?? aboveAll, count) : s.searchBefore.all(match, below ?? aboveAll, bin, count)),
        },
      ];
    },
  };
}
