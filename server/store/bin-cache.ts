import type { BinResponse } from '../../shared/api.ts';

/** What capture needs of a bin's settings on every request. */
export interface BinSettings {
  response: BinResponse | null;
  forwardTo: string | null;
}

/**
 * What capture asks of bins on every request, kept in memory so that it asks the database nothing:
 * which bins exist, and each one's response and relay target. The store drops what it changes or
 * deletes. On PostgreSQL another instance may change a bin meanwhile: its settings here are those
 * of this instance's last insert into it or change to it, and a bin it deleted is still known here
 * (a capture through this instance creates it again, past the bin limit by one).
 */
export class BinCache {
  readonly #known = new Set<string>();
  readonly #settings = new Map<string, BinSettings>();
  readonly #load: (bin: string) => BinSettings | Promise<BinSettings>;

  /** `load` reads a bin's settings from the database (the defaults when there is no such bin). */
  constructor(load: (bin: string) => BinSettings | Promise<BinSettings>) {
    this.#load = load;
  }

  /**
   * Whether a capture may go to bin `id`: true for a bin known to exist, else what `create` says
   * (it creates the bin unless the bin limit is reached, and says whether the bin exists then).
   */
  async admit(id: string, create: () => boolean | Promise<boolean>): Promise<boolean> {
    if (this.#known.has(id)) return true;
    const admitted = await create();
    if (admitted) this.#known.add(id);
    return admitted;
  }

  isKnown(id: string): boolean {
    return this.#known.has(id);
  }

  /** The bin exists: a commit or a creation says so. */
  markKnown(id: string): void {
    this.#known.add(id);
  }

  async settings(bin: string): Promise<BinSettings> {
    let settings = this.#settings.get(bin);
    if (!settings) {
      settings = await this.#load(bin);
      this.#settings.set(bin, settings);
    }
    return settings;
  }

  /** The settings a write has just read back. */
  remember(bin: string, settings: BinSettings): void {
    this.#settings.set(bin, settings);
  }

  /** The bin's settings changed (or it was created): read them again next time. */
  settingsChanged(bin: string): void {
    this.#settings.delete(bin);
  }

  /** The bin was deleted. */
  forget(bin: string): void {
    this.#known.delete(bin);
    this.#settings.delete(bin);
  }
}
