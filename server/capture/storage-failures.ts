/** Distinct reasons remembered at most: messages that vary (a path, a number) must not grow it without end. */
const maxReasons = 20;

/**
 * The log of captures that could not be stored: one line per reason, then one when a capture is
 * stored again. A full or read-only disk refuses every capture, and a line for each would bury
 * the one that says why (and, on a shared disk, fill what little room is left).
 */
export class StorageFailures {
  readonly #reported = new Set<string>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void = (line) => console.error(line)) {
    this.#log = log;
  }

  /** A capture for `bin` failed with `error`: logged unless its reason was logged since the last success. */
  failed(bin: string, error: Error): void {
    const reason = `${(error as { code?: unknown }).code ?? ''} ${error.message}`;
    if (this.#reported.has(reason)) return;
    if (this.#reported.size >= maxReasons) return;
    this.#reported.add(reason);
    this.#log(`authbin: could not store a request for bin ${bin}: ${error.message} (captures get 503; the same failure is logged again only after one has been stored)`);
  }

  /** A capture was stored: say so once if some had failed before. */
  stored(): void {
    if (this.#reported.size === 0) return;
    this.#reported.clear();
    this.#log('authbin: requests are stored again');
  }
}
