import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Expected } from '../../shared/auth/types.ts';
import { rowNeedsHeaders } from '../lib/row-match.ts';
import { scrollToReveal, virtualRange } from '../lib/virtual-range.ts';
import { useAppState } from '../state/context.ts';
import type { RequestListStore } from '../state/request-list.ts';
import type { SignatureSettings } from '../state/signature-secrets.ts';
import { RequestRow, ROW_HEIGHT } from './RequestRow.tsx';
import './RequestList.css';

const FOOTER_HEIGHT = 48;
// Start fetching the next older page this many rows before the end comes into view.
const PREFETCH_ROWS = 15;

interface RequestListProps {
  list: RequestListStore;
  selectedId: string | null;
  expected: Expected | null;
  /** The bin's signing secret: rows on screen are verified with it in the browser. */
  signatureSettings?: SignatureSettings | null;
  hrefFor: (id: string) => string;
  /** Requests picked for comparison, and how a row picks or unpicks itself. */
  picked?: readonly string[];
  onPick?: (id: string) => void;
}

/**
 * The bin's requests, newest first, as a virtual list: only the rows on screen are in the DOM, older pages load
 * as the end comes near, and rows arriving above the visible ones keep what the user is reading in place.
 */
export function RequestList({ list, selectedId, expected, signatureSettings = null, hrefFor, picked = [], onPick }: RequestListProps) {
  const { details, signatureChecks } = useAppState();
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const requests = list.requests.value;
  const next = list.next.value;
  const loadingOlder = list.loadingOlder.value;
  void details.rowHeadersVersion.value;

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Keep the rows the user is looking at still when new ones arrive above them.
  const firstId = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const el = viewport.current;
    const previous = firstId.current;
    firstId.current = requests[0]?.id;
    if (!el || !previous || el.scrollTop === 0) return;
    const added = requests.findIndex((r) => r.id === previous);
    if (added > 0) {
      el.scrollTop += added * ROW_HEIGHT;
      setScrollTop(el.scrollTop);
    }
  }, [requests]);

  // Scroll a newly selected request into view once, as soon as it is listed (an opened link may select one
  // before its page has loaded); after that the user scrolls where they like.
  const revealedId = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el || selectedId === null || selectedId === revealedId.current) return;
    const index = requests.findIndex((r) => r.id === selectedId);
    if (index === -1) return;
    revealedId.current = selectedId;
    const target = scrollToReveal(index, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (target !== null) {
      el.scrollTop = target;
      setScrollTop(target);
    }
  }, [selectedId, requests]);

  const range = virtualRange(scrollTop, height, ROW_HEIGHT, requests.length);

  useEffect(() => {
    if (next && !loadingOlder && range.end + PREFETCH_ROWS >= requests.length) void list.loadOlder();
  }, [list, range.end, requests.length, next, loadingOlder]);

  // Ask for what the rows on screen need for their ✓/✗ once scrolling settles: headers, or a signature check.
  useEffect(() => {
    const timer = setTimeout(() => {
      const visible = requests.slice(range.start, range.end);
      details.wantRows(visible.filter((r) => rowNeedsHeaders(r, expected)).map((r) => r.id));
      if (signatureSettings) signatureChecks.wantRows(visible.map((r) => r.id), signatureSettings);
    }, 120);
    return () => clearTimeout(timer);
  }, [details, signatureChecks, range.start, range.end, requests, expected, signatureSettings]);

  const onScroll = (event: Event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop);

  return (
    <div class="request-list" ref={viewport} onScroll={onScroll} tabIndex={-1}>
      <div role="list" aria-label="Requests" class="request-list-inner" style={{ height: `${requests.length * ROW_HEIGHT + FOOTER_HEIGHT}px` }}>
        {requests.slice(range.start, range.end).map((summary, offset) => (
          <RequestRow
            key={summary.id}
            summary={summary}
            index={range.start + offset}
            href={hrefFor(summary.id)}
            selected={summary.id === selectedId}
            headers={details.rowHeaders(summary.id)}
            expected={expected}
            signature={signatureSettings ? signatureChecks.verdictOf(summary.id, signatureSettings) : undefined}
            picked={picked.includes(summary.id)}
            onPick={onPick}
          />
        ))}
      </div>
      <div class="request-list-footer" style={{ top: `${requests.length * ROW_HEIGHT}px`, height: `${FOOTER_HEIGHT}px` }}>
        {loadingOlder ? (
          <span class="faint">Loading older requests…</span>
        ) : next ? (
          <button type="button" class="btn btn-small" onClick={() => void list.loadOlder()}>
            Load older requests
          </button>
        ) : requests.length > 0 ? (
          <span class="faint">That is the oldest request.</span>
        ) : null}
      </div>
    </div>
  );
}
