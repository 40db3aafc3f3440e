import { useEffect } from 'preact/hooks';
import type { RequestListStore } from '../../state/request-list.ts';

/** Whether the arrow keys belong to something else: a field being typed in, or an open dialog. */
function keysTakenElsewhere(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (document.querySelector('dialog[open]')) return true;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** ↑/↓ move the selection through the bin's requests (↓ goes to older ones), unless the user is typing in a field or a dialog is open. */
export function useListKeyboard(list: RequestListStore, selectedId: string | null, select: (id: string) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      if (event.altKey || event.ctrlKey || event.metaKey || keysTakenElsewhere(event.target)) return;
      const requests = list.requests.value;
      if (requests.length === 0) return;
      event.preventDefault();
      const index = selectedId === null ? -1 : requests.findIndex((r) => r.id === selectedId);
      const nextIndex = index === -1 ? 0 : event.key === 'ArrowDown' ? index + 1 : index - 1;
      const target = requests[Math.max(0, Math.min(requests.length - 1, nextIndex))];
      if (nextIndex >= requests.length - 1) void list.loadOlder();
      if (target && target.id !== selectedId) select(target.id);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [list, selectedId, select]);
}
