import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Whether a key belongs to something else: a field being typed in, or an open dialog. */
function keysTakenElsewhere(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (document.querySelector('dialog[open]')) return true;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** The stops of the walk, in page order. */
function differencesIn(container: HTMLElement | null): HTMLElement[] {
  return [...(container?.querySelectorAll<HTMLElement>('[data-difference]') ?? [])];
}

const NEXT = new Set(['j', 'n']);
const PREVIOUS = new Set(['k', 'p']);

export interface DifferenceKeys {
  /** What the screen reader is told after a move, e.g. "Difference 2 of 5: Header Accept, changed". */
  announcement: string;
  count: number;
  move(step: 1 | -1): void;
}

/**
 * j or n moves to the next difference inside `container` (an element marked `data-difference`, whose value names it),
 * k or p to the previous one: focus moves there, it scrolls into view, and the move is announced.
 */
export function useDifferenceKeys(container: RefObject<HTMLElement | null>, version: unknown): DifferenceKeys {
  const [index, setIndex] = useState(-1);
  const [announcement, setAnnouncement] = useState('');
  const [count, setCount] = useState(0);

  // A new result (strict toggled, other requests) starts the walk over.
  useEffect(() => {
    setIndex(-1);
    setCount(differencesIn(container.current).length);
  }, [container, version]);

  const move = (step: 1 | -1) => {
    const all = differencesIn(container.current);
    setCount(all.length);
    if (all.length === 0) {
      setAnnouncement('No differences to move to.');
      return;
    }
    const next = index === -1 ? (step === 1 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
    const target = all[next]!;
    setIndex(next);
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'center' });
    setAnnouncement(`Difference ${next + 1} of ${all.length}: ${target.dataset.difference}`);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || keysTakenElsewhere(event.target)) return;
      const step = NEXT.has(event.key) ? 1 : PREVIOUS.has(event.key) ? -1 : 0;
      if (step === 0) return;
      event.preventDefault();
      move(step);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return { announcement, count, move };
}
