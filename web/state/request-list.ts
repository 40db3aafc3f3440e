import { batch, computed, signal } from '@preact/signals';
import type { Bin, BinResponse, RequestPage, RequestSummary } from '../../shared/api.ts';
import { ApiRequestError, type ApiClient } from '../api/client.ts';
import { followBin, type EventSourceFactory, type LiveStatus } from '../api/live.ts';
import { filterParams, isFilterActive, type RequestFilter } from '../lib/request-filter.ts';
import { mergeNewestFirst } from '../lib/request-order.ts';

export const PAGE_SIZE = 50;
// After a long disconnect, stop walking back at this many pages; older requests load on scroll as usual.
const MAX_RESYNC_PAGES = 20;
// While a filter is active, a burst of live requests refreshes the filtered first page once.
export const FILTER_REFRESH_MS = 250;

export type RequestListStore = ReturnType<typeof createRequestListStore>;

/**
 * The requests of one bin, newest first: the first page, then older pages on demand (never all of them),
 * with new requests arriving live over the bin's event stream. With a filter, only matching requests are listed,
 * and a live request refreshes the filtered first page (the server decides what matches).
 */
export function createRequestListStore(client: ApiClient, binId: string, createEventSource: EventSourceFactory) {
  const requests = signal<RequestSummary[]>([]);
  /** Cursor of the next older page; null when the oldest request is loaded. */
  const next = signal<string | null>(null);
  const loaded = signal(false);
  const loadingOlder = signal(false);
  const error = signal<string | null>(null);
  const status = signal<LiveStatus>('connecting');
  /** Requests in the bin on the server, kept current as requests arrive or are deleted. */
  const total = signal<number | null>(null);
  /** The bin itself (its response settings); null until loaded, or while the bin has never received a request. */
  const info = signal<Bin | null>(null);
  const filter = signal<RequestFilter>({});
  const filtered = computed(() => isFilterActive(filter.value));
  let generation = 0;
  let started = false;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  function add(incoming: RequestSummary[]): void {
    const before = requests.value.length;
    requests.value = mergeNewestFirst(requests.value, incoming);
    if (total.value !== null) total.value += requests.value.length - before;
  }

  // A bin comes into being with its first request, so an unknown bin is simply an empty one.
  async function listOrEmpty(): Promise<RequestPage> {
    try {
      return await client.listRequests(binId, { limit: PAGE_SIZE, filter: filter.value });
    } catch (e) {
      if (e instanceof ApiRequestError && e.status === 404) return { requests: [], next: null };
      throw e;
    }
  }

  async function loadFirst(): Promise<void> {
    const mine = generation;
    try {
      const [page, binInfo] = await Promise.all([listOrEmpty(), client.getBin(binId).catch(() => null)]);
      if (mine !== generation) return;
      batch(() => {
        info.value = binInfo;
        total.value = binInfo ? binInfo.requestCount : page.requests.length;
        requests.value = mergeNewestFirst(requests.value, page.requests);
        next.value = page.next;
        loaded.value = true;
        error.value = null;
      });
    } catch (e) {
      if (mine === generation) error.value = (e as Error).message;
    }
  }

  async function loadOlder(): Promise<void> {
    if (!next.value || loadingOlder.value) return;
    const mine = generation;
    loadingOlder.value = true;
    try {
      const page = await client.listRequests(binId, { limit: PAGE_SIZE, before: next.value, filter: filter.value });
      if (mine !== generation) return;
      batch(() => {
        requests.value = mergeNewestFirst(requests.value, page.requests);
        next.value = page.next;
      });
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loadingOlder.value = false;
    }
  }

  /** Fetches the newest pages until they meet what is already listed, filling a gap left by a disconnect. */
  async function resync(): Promise<void> {
    if (filtered.value) return scheduleFilteredRefresh();
    const mine = generation;
    let before: string | null = null;
    for (let page = 0; page < MAX_RESYNC_PAGES; page++) {
      const known = new Set(requests.value.map((r) => r.id));
      const result: RequestPage | null = await client.listRequests(binId, { limit: PAGE_SIZE, before, filter: filter.value }).catch(() => null);
      if (!result || mine !== generation) return;
      add(result.requests);
      if (!result.next || result.requests.some((r) => known.has(r.id)) || known.size === 0) return;
      before = result.next;
    }
  }

  /** The filtered first page and the bin's count, fetched again once live requests stop arriving for a moment. */
  function scheduleFilteredRefresh(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      const mine = generation;
      void Promise.all([client.listRequests(binId, { limit: PAGE_SIZE, filter: filter.value }), client.getBin(binId)]).then(
        ([page, binInfo]) => {
          if (mine !== generation) return;
          batch(() => {
            const before = requests.value.length;
            requests.value = mergeNewestFirst(requests.value, page.requests);
            // The first page of a list that was empty says where older matches continue.
            if (before === 0) next.value = page.next;
            info.value = binInfo;
            total.value = binInfo.requestCount;
          });
        },
        () => undefined,
      );
    }, FILTER_REFRESH_MS);
  }

  function onLiveRequest(summary: RequestSummary): void {
    if (filtered.value) scheduleFilteredRefresh();
    else add([summary]);
  }

  /** Loads the first page and follows the live stream; returns a function that stops following. */
  function start(): () => void {
    const stop = followBin(
      client.eventsUrl(binId),
      { onRequest: onLiveRequest, onStatus: (s) => (status.value = s), onResync: () => void resync() },
      createEventSource,
      // A filtered list's newest row is not the bin's newest request: resume from there would replay the others.
      () => (filtered.value ? null : (requests.value[0]?.id ?? null)),
    );
    started = true;
    void loadFirst();
    return () => {
      started = false;
      generation++;
      clearTimeout(refreshTimer);
      stop();
    };
  }

  /** Lists from the first page again: after the filter changes, or after an import. */
  function reload(): Promise<void> {
    generation++;
    clearTimeout(refreshTimer);
    batch(() => {
      requests.value = [];
      next.value = null;
      loaded.value = false;
      loadingOlder.value = false;
      error.value = null;
    });
    return loadFirst();
  }

  /** Shows only the requests that match `next` (every request for an empty filter); before start(), the first load will. */
  function setFilter(nextFilter: RequestFilter): Promise<void> {
    if (filterParams(nextFilter).toString() === filterParams(filter.value).toString()) return Promise.resolve();
    filter.value = nextFilter;
    return started ? reload() : Promise.resolve();
  }

  function removeLocal(id: string): void {
    const before = requests.value.length;
    requests.value = requests.value.filter((r) => r.id !== id);
    if (total.value !== null && requests.value.length < before) total.value = Math.max(0, total.value - 1);
  }

  async function remove(id: string): Promise<void> {
    await client.deleteRequest(id);
    removeLocal(id);
  }

  async function setResponse(response: BinResponse | null): Promise<void> {
    try {
      info.value = await client.setBinResponse(binId, response);
    } catch (e) {
      // The bin has not received a request yet, so it does not exist: create it with this response.
      if (!(e instanceof ApiRequestError && e.status === 404) || response === null) throw e;
      info.value = await client.createBin({ id: binId, response });
    }
  }

  async function setForward(forwardTo: string | null): Promise<void> {
    try {
      info.value = await client.setBinForward(binId, forwardTo);
    } catch (e) {
      if (!(e instanceof ApiRequestError && e.status === 404) || forwardTo === null) throw e;
      info.value = await client.createBin({ id: binId, forwardTo });
    }
  }

  async function clear(): Promise<void> {
    await client.clearBin(binId);
    batch(() => {
      requests.value = [];
      next.value = null;
      total.value = 0;
    });
  }

  return {
    bin: binId,
    requests,
    next,
    loaded,
    loadingOlder,
    error,
    status,
    total,
    info,
    filter,
    filtered,
    start,
    loadOlder,
    resync,
    reload,
    setFilter,
    remove,
    clear,
    setResponse,
    setForward,
  };
}
