import type { SummaryParts } from '../request-views.ts';

/** Requests whose summary parts are kept: a few first pages' worth. */
const defaultCapacity = 1000;

/**
 * The summary parts of requests a list showed before the indexer had summarized them. Right after
 * a burst those are the newest requests, the very first page everyone asks for, and analysing its
 * 50 requests again on every request for it costs milliseconds while the upkeep thread catches up.
 * A stored request never changes and its id is never given to another (AUTOINCREMENT), so parts
 * computed once stay true; the oldest kept are dropped first, and the indexer's own summary is read
 * instead as soon as it has one.
 */
export class ListedSummaries {
  readonly #parts = new Map<string, SummaryParts>();
  readonly #capacity: number;

  constructor(capacity = defaultCapacity) {
    this.#capacity = capacity;
  }

  /** The parts kept for request `id`, or computes them with `compute` and keeps them. */
  partsOf(id: string, compute: () => SummaryParts): SummaryParts {
    let parts = this.#parts.get(id);
    if (parts === undefined) {
      parts = compute();
      if (this.#parts.size >= this.#capacity) this.#parts.delete(this.#parts.keys().next().value!);
      this.#parts.set(id, parts);
    }
    return parts;
  }
}
