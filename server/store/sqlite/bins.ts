import type Database from 'better-sqlite3';
import type { Bin, BinResponse } from '../../../shared/api.ts';
import type { BinSettings } from '../bin-cache.ts';
import { binActivity, idContainsPattern } from '../bin-filter.ts';
import { toBin } from '../columns.ts';
import type { BinTable } from '../engine.ts';
import type { BinChange, BinQuery } from '../store.ts';
import type { SqliteAnswers } from './answers.ts';
import { prepareBinStep } from './change-requests.ts';
import type { DeletingInSteps } from './retention.ts';
import type { BinRow } from './rows.ts';

/** Bins in the SQLite file. Only this store writes the file, so it keeps count of the bins rather than count(*) per new bin. */
export class SqliteBins implements BinTable {
  readonly #s: ReturnType<typeof prepare>;
  readonly #deleting: DeletingInSteps;
  readonly #binStep: (bin: string) => number;
  readonly #answers: SqliteAnswers;
  #count: number;

  constructor(db: Database.Database, deleting: DeletingInSteps, answers: SqliteAnswers) {
    this.#s = prepare(db);
    this.#deleting = deleting;
    this.#answers = answers;
    this.#binStep = prepareBinStep(db);
    this.#count = this.#s.countBins.get() as number;
  }

  list(query: BinQuery): Bin[] {
    const pattern = idContainsPattern(query.idContains);
    const rows = query.after
      ? this.#s.listBinsAfter.all(query.after.activity, query.after.activity, query.after.id, pattern, query.limit)
      : this.#s.listBins.all(pattern, query.limit);
    return (rows as BinRow[]).map(toBin);
  }

  get(id: string): Bin | undefined {
    const row = this.#s.getBin.get(id) as BinRow | undefined;
    return row && toBin(row);
  }

  settings(id: string): BinSettings {
    const bin = this.get(id);
    return { response: bin?.response ?? null, forwardTo: bin?.forwardTo ?? null };
  }

  /** Creates the bin a capture names unless `maxBins` exist already; whether it exists then. */
  admit(id: string, maxBins: number): boolean {
    // Synchronous from the check to the insert: captures racing at the limit are admitted one at a time.
    if (this.#s.getBin.get(id) !== undefined) return true;
    if (this.#count >= maxBins) return false;
    this.#count += this.#s.ensureBin.run(id, Date.now()).changes;
    return true;
  }

  /** Inserts created this many bins. */
  created(count: number): void {
    this.#count += count;
  }

  create(id: string, response: BinResponse | null): Bin | undefined {
    const { changes } = this.#s.createBin.run(id, Date.now(), response ? JSON.stringify(response) : null);
    if (changes === 0) return undefined;
    this.#count++;
    return this.get(id);
  }

  update(id: string, change: BinChange): Bin | undefined {
    return this.#s.update(id, change) ? this.get(id) : undefined;
  }

  /** Deletes the bin with its requests: at once, or on a full disk its requests step by step, then the bin. */
  delete(id: string): boolean {
    const deleteBin = () => this.#s.deleteBin.run(id).changes > 0;
    const deleted = this.#deleting(deleteBin, () => this.#binStep(id), deleteBin);
    // Its answers went with it.
    if (deleted) this.#answers.forget();
    this.#count = this.#s.countBins.get() as number;
    return deleted;
  }
}

function prepare(db: Database.Database) {
  const updateResponse = db.prepare('UPDATE bins SET response = ? WHERE id = ?');
  const updateForwardTo = db.prepare('UPDATE bins SET forward_to = ? WHERE id = ?');
  const getBin = db.prepare('SELECT * FROM bins WHERE id = ?');
  return {
    getBin,
    countBins: db.prepare('SELECT count(*) FROM bins').pluck(),
    ensureBin: db.prepare('INSERT INTO bins (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    createBin: db.prepare('INSERT INTO bins (id, created_at, response) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteBin: db.prepare('DELETE FROM bins WHERE id = ?'),
    listBins: db.prepare(`SELECT * FROM bins WHERE id LIKE ? ESCAPE '\\' ORDER BY ${binActivity} DESC, id LIMIT ? + 0`),
    listBinsAfter: db.prepare(`SELECT * FROM bins WHERE ${binActivity} <= ? AND (${binActivity} < ? OR id > ?) AND id LIKE ? ESCAPE '\\'
      ORDER BY ${binActivity} DESC, id LIMIT ? + 0`),
    /** Whether the bin exists. */
    update: db.transaction((id: string, change: BinChange): boolean => {
      let changed = 0;
      if (change.response !== undefined) changed += updateResponse.run(change.response ? JSON.stringify(change.response) : null, id).changes;
      if (change.forwardTo !== undefined) changed += updateForwardTo.run(change.forwardTo, id).changes;
      return changed > 0 || getBin.get(id) !== undefined;
    }),
  };
}
