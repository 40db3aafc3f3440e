import { useEffect, useMemo } from 'preact/hooks';
import type { RequestFilter } from '../../lib/request-filter.ts';
import { useAppState } from '../../state/context.ts';
import { createRequestListStore, type RequestListStore } from '../../state/request-list.ts';

/**
 * The requests of the bin on screen, following its live stream while the page shows it. One list per bin: a new
 * filter reloads that list instead of making another, so the live stream stays open while the user filters.
 */
export function useRequestList(binId: string, filter: RequestFilter): RequestListStore {
  const { client, createEventSource } = useAppState();
  const list = useMemo(() => createRequestListStore(client, binId, createEventSource), [client, binId, createEventSource]);
  // Runs before the start below (effects run in order), so the first page loaded is already the filtered one.
  useEffect(() => void list.setFilter(filter), [list, filter]);
  useEffect(() => list.start(), [list]);
  return list;
}
