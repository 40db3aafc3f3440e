import { render } from 'preact';
import { App } from './app.tsx';
import { createApiClient, redirectToLogin } from './api/client.ts';
import { browserEventSource } from './api/live.ts';
import { createAppState } from './state/context.ts';
import './app.css';

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

const store = createAppState({
  client: createApiClient({ onUnauthorized: redirectToLogin }),
  storage: sessionStore(),
  createEventSource: browserEventSource,
});
store.startClock();
render(<App store={store} />, document.getElementById('app') as HTMLElement);
