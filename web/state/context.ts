import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { computed, signal } from '@preact/signals';
import type { Session } from '../../shared/api.ts';
import { createApiClient, type ApiClient } from '../api/client.ts';
import type { EventSourceFactory } from '../api/live.ts';
import { createBinsStore } from './bins.ts';
import { createDetailStore } from './details.ts';
import { createExpectedStore } from './expected.ts';
import { createSignatureCheckStore } from './signature-checks.ts';
import { createSignatureSecretsStore } from './signature-secrets.ts';

export interface AppStateOptions {
  client?: ApiClient;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** How to open a bin's event stream; without one, bins are not followed live. */
  createEventSource?: EventSourceFactory;
  /** Where the capture URLs point, e.g. "http://127.0.0.1:8787". */
  origin?: string;
}

export type AppState = ReturnType<typeof createAppState>;

/** The app's state, made once per page (and once per component test, with no shared globals). */
export function createAppState(options: AppStateOptions = {}) {
  const client = options.client ?? createApiClient();
  /** The current time, ticking each second once startClock() runs, so "3 s ago" labels stay true. */
  const now = signal(Date.now());
  const noLiveFeed: EventSourceFactory = () => ({ readyState: 2, addEventListener() {}, close() {} });
  const details = createDetailStore(client);
  const origin = options.origin ?? (typeof location === 'undefined' ? '' : location.origin);
  /** Whether this authbin needs its token, and where senders reach it, once asked. */
  const session = signal<Session | null>(null);
  return {
    client,
    origin,
    /** Where capture URLs point: the public URL the server was given, else this page's origin. */
    captureOrigin: computed(() => session.value?.publicUrl ?? origin),
    now,
    session,
    bins: createBinsStore(client),
    details,
    expected: createExpectedStore(options.storage ?? null),
    signatureSecrets: createSignatureSecretsStore(options.storage ?? null),
    signatureChecks: createSignatureCheckStore(details),
    createEventSource: options.createEventSource ?? noLiveFeed,
    startClock(): () => void {
      const timer = setInterval(() => (now.value = Date.now()), 1000);
      return () => clearInterval(timer);
    },
  };
}

export const AppStateContext = createContext<AppState | null>(null);

/** The store handed down by the app (or by a test) through AppStateContext. */
export function useAppState(): AppState {
  const store = useContext(AppStateContext);
  if (!store) throw new Error('useAppState() needs a <AppStateContext.Provider> above it');
  return store;
}
