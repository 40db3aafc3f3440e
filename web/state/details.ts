import { signal, type Signal } from '@preact/signals';
import type { RequestDetail } from '../../shared/api.ts';
import type { HeaderPair } from '../../shared/auth/types.ts';
import type { ApiClient } from '../api/client.ts';

export type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; detail: RequestDetail }
  | { status: 'error'; message: string; notFound: boolean };

// Whole details (bodies up to the capture cap) are kept for a few requests only; headers for many.
const DETAIL_CACHE = 20;
const ROW_CACHE = 5000;
const CONCURRENT_ROW_FETCHES = 3;

export type DetailStore = ReturnType<typeof createDetailStore>;

/** Request details fetched on demand: whole for the inspector, headers only for the ✓/✗ of list rows. */
export function createDetailStore(client: ApiClient) {
  const details = new Map<string, Signal<DetailState>>();
  const rowHeaders = new Map<string, HeaderPair[]>();
  /** Bumped whenever rowHeaders changes, so rows re-read it. */
  const rowHeadersVersion = signal(0);
  const queue: string[] = [];
  const inFlight = new Set<string>();

  function remember(detail: RequestDetail): void {
    rowHeaders.delete(detail.id);
    rowHeaders.set(detail.id, detail.headers);
    if (rowHeaders.size > ROW_CACHE) rowHeaders.delete(rowHeaders.keys().next().value as string);
    rowHeadersVersion.value++;
  }

  /** The detail of a request already fetched or being fetched (not one that failed); fetches nothing. */
  function loaded(id: string): Signal<DetailState> | undefined {
    const cached = details.get(id);
    return cached && cached.peek().status !== 'error' ? cached : undefined;
  }

  /** The detail of a request, fetched once and then served from the cache. */
  function load(id: string): Signal<DetailState> {
    const cached = details.get(id);
    if (cached && cached.value.status !== 'error') {
      details.delete(id);
      details.set(id, cached);
      return cached;
    }
    const state = signal<DetailState>({ status: 'loading' });
    details.set(id, state);
    if (details.size > DETAIL_CACHE) details.delete(details.keys().next().value as string);
    client.getRequest(id).then(
      (detail) => {
        state.value = { status: 'ready', detail };
        remember(detail);
      },
      (e: unknown) => {
        const status = (e as { status?: number }).status;
        state.value = { status: 'error', message: (e as Error).message, notFound: status === 404 };
      },
    );
    return state;
  }

  const rowFetches = new Map<string, Promise<RequestDetail>>();

  /**
   * The whole detail of a listed request, for checks on list rows (✓/✗ against expected credentials or a
   * signing secret): the inspector's copy when it has one, and one fetch however many checks ask at once.
   */
  function fetchRow(id: string): Promise<RequestDetail> {
    const cached = details.get(id)?.value;
    if (cached?.status === 'ready') return Promise.resolve(cached.detail);
    let fetching = rowFetches.get(id);
    if (!fetching) {
      fetching = client.getRequest(id).then((detail) => {
        remember(detail);
        return detail;
      });
      rowFetches.set(id, fetching);
      const done = () => rowFetches.delete(id);
      fetching.then(done, done);
    }
    return fetching;
  }

  function pump(): void {
    while (inFlight.size < CONCURRENT_ROW_FETCHES && queue.length > 0) {
      const id = queue.shift() as string;
      if (rowHeaders.has(id)) continue;
      inFlight.add(id);
      fetchRow(id)
        .catch(() => undefined)
        .finally(() => {
          inFlight.delete(id);
          pump();
        });
    }
  }

  /** Asks for the headers of the rows on screen; anything no longer on screen is dropped from the queue. */
  function wantRows(ids: string[]): void {
    queue.length = 0;
    for (const id of ids) if (!rowHeaders.has(id) && !inFlight.has(id)) queue.push(id);
    pump();
  }

  function rowHeadersOf(id: string): HeaderPair[] | undefined {
    void rowHeadersVersion.value;
    return rowHeaders.get(id);
  }

  function forget(id: string): void {
    details.delete(id);
    if (rowHeaders.delete(id)) rowHeadersVersion.value++;
  }

  /** Fetches a request's detail again, e.g. once the server has recorded how relaying it went. */
  function refresh(id: string): void {
    const state = details.get(id);
    if (!state) return;
    client.getRequest(id).then(
      (detail) => {
        state.value = { status: 'ready', detail };
        remember(detail);
      },
      () => undefined,
    );
  }

  return { loaded, load, refresh, fetchRow, wantRows, rowHeaders: rowHeadersOf, forget, rowHeadersVersion };
}
