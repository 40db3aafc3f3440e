import type Database from 'better-sqlite3';
import { searchDocument, searchedBodyBytes } from '../search.ts';
import { storedSummaryText } from '../stored-summary.ts';
import { analyzeStored, storedText } from '../../request-views.ts';
import { toStoredRequest, type RequestRow } from './rows.ts';

/**
 * Most requests indexed per step, in one transaction of the search file: while captures arrive
 * fast the thread is behind, and each step's commit (and its WAL frames, written again for every
 * index segment it touches) costs about as much as indexing tens of requests.
 */
const indexStepRows = 500;
/** At most about this many bytes of requests per step, so that a run of large bodies holds the search file's lock as briefly. */
const indexStepBytes = 4 * 1024 * 1024;
/** Summary texts whose numbers the indexer keeps in memory at most. */
const maxKnownSummaries = 1024;
/** Deleted requests taken out of the index per step. */
const unindexStep = 1000;

/** How far one step got. */
export interface IndexProgress {
  /** Every request up to this id is in the index. */
  indexedUpTo: number;
  /** Deletions queued up to this position are out of the index: the store may drop them from the queue. */
  unindexedThrough: number;
}

/**
 * Keeps the full-text index (schema `search`, see search-file.ts) in step with the requests:
 * adds new ones, oldest first, with their summaries for request lists (stored-summary.ts), and
 * takes deleted ones out. It runs on the upkeep thread's own connection and writes to the search
 * file only (the store empties the queue of deletions), so capture never waits for it.
 */
export class SearchIndexer {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  #unindexedThrough = 0;
  /**
   * The numbers of summary texts in the search file, by text: most requests share one of a few, and
   * looking each up in the file cost a query per request.
   */
  readonly #summaryIds = new Map<string, number>();
  #bytesIndexed = 0;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  /** About how many bytes the requests indexed so far took (headers, and bodies as sent): what capture wrote to the WAL for them. */
  get bytesIndexed(): number {
    return this.#bytesIndexed;
  }

  /** The id up to which every request is in the index. */
  indexedUpTo(): number {
    return this.#statements.indexedUpTo.get() as number;
  }

  /** One step: takes deleted requests out, then indexes the next new ones. Undefined when there was nothing to do. */
  step(): IndexProgress | undefined {
    const unindexed = this.#unindexDeleted();
    const indexed = this.#indexNew();
    if (!unindexed && !indexed) return undefined;
    return { indexedUpTo: this.indexedUpTo(), unindexedThrough: this.#unindexedThrough };
  }

  #unindexDeleted(): boolean {
    const s = this.#statements;
    const queued = s.queuedDeletions.all(this.#unindexedThrough, unindexStep) as { position: number; request_id: number }[];
    if (queued.length === 0) return false;
    this.#db.transaction(() => {
      const summaryIds = new Set<number>();
      for (const { request_id } of queued) {
        s.unindex.run(request_id);
        const summaryId = s.unsummarize.get(request_id) as number | undefined;
        if (summaryId !== undefined) summaryIds.add(summaryId);
      }
      for (const summaryId of summaryIds) s.dropUnusedSummaryText.run({ id: summaryId });
    })();
    // Some of the texts may be gone now, and their numbers given to others later.
    this.#summaryIds.clear();
    this.#unindexedThrough = queued[queued.length - 1]!.position;
    return true;
  }

  #indexNew(): boolean {
    const s = this.#statements;
    // Built before the transaction, so the search file's write lock is held only for the inserts.
    const indexed: { id: number | bigint; document: string; summary: string }[] = [];
    let bytes = 0;
    for (const row of s.unindexed.iterate(this.indexedUpTo(), indexStepRows) as IterableIterator<RequestRow>) {
      const request = toStoredRequest(row);
      // One reading and one analysis serve both: the rows hold the same first bytes of the body that each would look at.
      const text = storedText(request);
      const analysis = analyzeStored(request, text);
      indexed.push({ id: row.id, document: searchDocument(request, text, analysis), summary: storedSummaryText(request, { headers: text.headers, analysis }) });
      bytes += row.headers.length + row.body.length;
      this.#bytesIndexed += row.headers.length + row.body_size;
      if (bytes >= indexStepBytes) break;
    }
    if (indexed.length === 0) return false;
    const upTo = Number(indexed[indexed.length - 1]!.id);
    const added = new Map<string, number>();
    this.#db.transaction(() => {
      for (const { id, document, summary } of indexed) {
        s.index.run(id, document);
        let summaryId = this.#summaryIds.get(summary) ?? added.get(summary) ?? (s.summaryTextId.get(summary) as number | undefined);
        if (summaryId === undefined) {
          summaryId = Number(s.addSummaryText.run(summary).lastInsertRowid);
          added.set(summary, summaryId);
        }
        s.summarize.run(id, summaryId);
      }
      s.setIndexedUpTo.run(upTo);
    })();
    // Only once committed: a text added by a transaction rolled back is not in the file.
    if (this.#summaryIds.size + added.size > maxKnownSummaries) this.#summaryIds.clear();
    for (const [text, summaryId] of added) this.#summaryIds.set(text, summaryId);
    return true;
  }
}

/** `LIMIT ? + 0` keeps a statement from being compiled again on each call (see read-requests.ts). */
function prepareStatements(db: Database.Database) {
  return {
    indexedUpTo: db.prepare('SELECT indexed_up_to FROM search.search_progress').pluck(),
    setIndexedUpTo: db.prepare('UPDATE search.search_progress SET indexed_up_to = ?'),
    unindexed: db.prepare(`SELECT id, bin, received_at, method, path, query, http_version, remote_address, remote_port, headers,
      coalesce(substr(body, 1, ${searchedBodyBytes}), x'') AS body, body_size, truncated, forward FROM requests WHERE id > ? ORDER BY id LIMIT ? + 0`),
    index: db.prepare('INSERT INTO search.request_search (rowid, document) VALUES (?, ?)'),
    queuedDeletions: db.prepare('SELECT position, request_id FROM unindex_queue WHERE position > ? ORDER BY position LIMIT ? + 0'),
    unindex: db.prepare('DELETE FROM search.request_search WHERE rowid = ?'),
    summaryTextId: db.prepare('SELECT id FROM search.summary_texts WHERE text = ?').pluck(),
    addSummaryText: db.prepare('INSERT INTO search.summary_texts (text) VALUES (?)'),
    summarize: db.prepare('INSERT INTO search.request_summaries (id, summary_id) VALUES (?, ?)'),
    unsummarize: db.prepare('DELETE FROM search.request_summaries WHERE id = ? RETURNING summary_id').pluck(),
    dropUnusedSummaryText: db.prepare(`DELETE FROM search.summary_texts
      WHERE id = :id AND NOT EXISTS (SELECT 1 FROM search.request_summaries WHERE summary_id = :id)`),
  };
}
