import type { Expected } from '../../shared/auth/types.ts';
import { useRequestDetail } from '../lib/use-request-detail.ts';
import { RequestInspector } from './RequestInspector.tsx';

interface SelectedRequestProps {
  id: string;
  expected: Expected | null;
  onExpectedChange: (expected: Expected | null) => void;
  onDelete: () => void;
  forwardTo?: string | null;
}

/** Loads the selected request and shows it, or says why it cannot. */
export function SelectedRequest({ id, expected, onExpectedChange, onDelete, forwardTo = null }: SelectedRequestProps) {
  const state = useRequestDetail(id);
  if (state.status === 'loading') return <p class="faint detail-status">Loading request…</p>;
  if (state.status === 'error') {
    return (
      <p class={state.notFound ? 'muted detail-status' : 'notice detail-status'} role="alert">
        {state.notFound ? 'This request no longer exists: it was deleted or expired.' : state.message}
      </p>
    );
  }
  return <RequestInspector request={state.detail} expected={expected} onExpectedChange={onExpectedChange} onDelete={onDelete} forwardTo={forwardTo} />;
}
