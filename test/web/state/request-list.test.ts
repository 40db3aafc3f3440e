import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '@testing-library/preact';
import { createRequestListStore, FILTER_REFRESH_MS } from '../../../web/state/request-list.ts';
import { startHarness, type Harness } from '../harness.tsx';
import { ManualFeed } from '../manual-feed.ts';

let h: Harness;
let feed: ManualFeed;
beforeEach(() => {
  feed = new ManualFeed();
  h = startHarness({ createEventSource: feed.factory });
});
afterEach(() => h.close());

const paths = (list: ReturnType<typeof createRequestListStore>) => list.requests.value.map((r) => r.path);
const newest = async (bin: string) => (await h.store.client.listRequests(bin, { limit: 1 })).requests[0]!;

describe('a filtered request list', () => {
  it('lists only the requests the server finds for the filter, and all of them again without one', async () => {
    await h.capture('/b/demo/one', { method: 'POST', body: 'ticket solved' });
    await h.capture('/b/demo/two', { method: 'PUT', body: 'ticket opened' });
    await h.capture('/b/demo/three', { method: 'POST', body: 'nothing here' });
    const list = createRequestListStore(h.store.client, 'demo', h.store.createEventSource);
    await list.setFilter({ q: 'ticket' });
    const stop = list.start();
    await waitFor(() => expect(list.loaded.value).toBe(true));
    expect(paths(list)).toEqual(['/two', '/one']);
    expect(list.filtered.value).toBe(true);

    await list.setFilter({ q: 'ticket', method: 'POST' });
    expect(paths(list)).toEqual(['/one']);
    await list.setFilter({});
    expect(paths(list)).toEqual(['/three', '/two', '/one']);
    expect(list.total.value).toBe(3);
    stop();
  });

  it('refreshes the filtered first page once after a burst of live requests, instead of adding them unfiltered', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await h.capture('/b/demo/match-1', { method: 'POST', body: 'invoice paid' });
      const list = createRequestListStore(h.store.client, 'demo', h.store.createEventSource);
      await list.setFilter({ q: 'invoice' });
      const stop = list.start();
      await waitFor(() => expect(list.loaded.value).toBe(true));
      feed.current.open();

      await h.capture('/b/demo/other', { method: 'POST', body: 'ticket opened' });
      feed.current.deliver(await newest('demo'));
      await h.capture('/b/demo/match-2', { method: 'POST', body: 'invoice sent' });
      feed.current.deliver(await newest('demo'));
      // Nothing is inserted as it arrives: the server says what matches.
      expect(paths(list)).toEqual(['/match-1']);
      await vi.advanceTimersByTimeAsync(FILTER_REFRESH_MS + 10);
      await waitFor(() => expect(paths(list)).toEqual(['/match-2', '/match-1']));
      expect(list.total.value).toBe(3);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says when the server rejects the filter', async () => {
    await h.capture('/b/demo/a');
    const list = createRequestListStore(h.store.client, 'demo', h.store.createEventSource);
    await list.setFilter({ header: 'Bad Header:x' });
    const stop = list.start();
    await waitFor(() => expect(list.error.value).toMatch(/"header" must be a header name/));
    stop();
  });

  it('saves and stops forwarding, creating a bin that has not received anything yet', async () => {
    const list = createRequestListStore(h.store.client, 'fresh', h.store.createEventSource);
    await list.setForward('http://127.0.0.1:3000/hook');
    expect((await h.store.client.getBin('fresh')).forwardTo).toBe('http://127.0.0.1:3000/hook');
    expect(list.info.value?.forwardTo).toBe('http://127.0.0.1:3000/hook');
    await list.setForward(null);
    expect((await h.store.client.getBin('fresh')).forwardTo).toBeNull();
  });
});
