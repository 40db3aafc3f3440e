import type { Signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { useAppState } from '../state/context.ts';
import type { DetailState } from '../state/details.ts';

const LOADING: DetailState = { status: 'loading' };

/**
 * The detail of request `id`: shown at once when already loaded; otherwise fetched from an effect, never while
 * rendering, and shown when it arrives.
 */
export function useRequestDetail(id: string): DetailState {
  const { details } = useAppState();
  const [requested, setRequested] = useState<{ id: string; state: Signal<DetailState> } | null>(null);
  useEffect(() => setRequested({ id, state: details.load(id) }), [details, id]);
  const state = requested?.id === id ? requested.state : details.loaded(id);
  return state?.value ?? LOADING;
}
