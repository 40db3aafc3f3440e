import { signal } from '@preact/signals';
import type { Bin } from '../../shared/api.ts';
import type { ApiClient } from '../api/client.ts';

export type BinsStore = ReturnType<typeof createBinsStore>;

/** The list of bins on the home page: a page at a time, optionally only those whose name holds `filter`. */
export function createBinsStore(client: ApiClient) {
  const bins = signal<Bin[] | null>(null);
  /** The cursor of the next page; null when every bin (that matches) is shown. */
  const next = signal<string | null>(null);
  const filter = signal('');
  const loadingMore = signal(false);
  const error = signal<string | null>(null);
  /** Bumped by each new first page: the answers of older ones (a filter typed meanwhile) are dropped. */
  let generation = 0;

  /** Loads the first page, for `text` when given (a new filter) or for the current filter. */
  async function load(text = filter.value): Promise<void> {
    const mine = ++generation;
    filter.value = text;
    try {
      const page = await client.listBins({ q: text.trim() });
      if (mine !== generation) return;
      bins.value = page.bins;
      next.value = page.next;
      error.value = null;
    } catch (e) {
      if (mine === generation) error.value = (e as Error).message;
    }
  }

  async function loadMore(): Promise<void> {
    const before = next.value;
    if (before === null || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    try {
      const page = await client.listBins({ q: filter.value.trim(), before });
      if (mine !== generation) return;
      // A bin that received a request meanwhile moved up the list and may come again: shown once.
      const shown = new Set((bins.value ?? []).map((b) => b.id));
      bins.value = [...(bins.value ?? []), ...page.bins.filter((b) => !shown.has(b.id))];
      next.value = page.next;
    } catch (e) {
      if (mine === generation) error.value = (e as Error).message;
    } finally {
      loadingMore.value = false;
    }
  }

  async function create(id?: string): Promise<Bin> {
    const bin = await client.createBin(id ? { id } : {});
    bins.value = [bin, ...(bins.value ?? []).filter((b) => b.id !== bin.id)];
    return bin;
  }

  async function remove(id: string): Promise<void> {
    await client.deleteBin(id);
    bins.value = (bins.value ?? []).filter((b) => b.id !== id);
  }

  return { bins, next, filter, loadingMore, error, load, loadMore, create, remove };
}
