import { cleanup, render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { LocationProvider } from 'preact-iso';
import { createApiClient } from '../../web/api/client.ts';
import type { EventSourceFactory } from '../../web/api/live.ts';
import { createAppState, AppStateContext, type AppState } from '../../web/state/context.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

export interface Harness {
  server: TestApp;
  store: AppState;
  /** Sends a request to a bin through the real capture route, as a webhook sender would. */
  capture(path: string, init?: RequestInit): Promise<string>;
  close(): Promise<void>;
}

/** A real authbin app (SQLite in a temp folder) and a fresh store whose API client talks to it in-process. */
export function startHarness(options: { createEventSource?: EventSourceFactory } = {}): Harness {
  const server = makeTestApp();
  const client = createApiClient({ fetch: async (input, init) => server.app.request(input, init) });
  sessionStorage.clear();
  const store = createAppState({ client, storage: sessionStorage, origin: 'http://authbin.test', ...options });
  return {
    server,
    store,
    async capture(path, init) {
      const response = await server.app.request(path, init);
      if (response.status !== 200) throw new Error(`capture of ${path} answered ${response.status}`);
      return ((await response.json()) as { id: string }).id;
    },
    async close() {
      cleanup();
      await server.close();
    },
  };
}

/** Renders inside the store and the router, at `url` (which becomes the page's location). */
export function renderAt(store: AppState, url: string, ui: ComponentChildren) {
  history.replaceState(null, '', url);
  return render(
    <AppStateContext.Provider value={store}>
      <LocationProvider>{ui}</LocationProvider>
    </AppStateContext.Provider>,
  );
}
