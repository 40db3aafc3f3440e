import type { HttpBindings } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { CaptureTarget } from './capture/request-target.ts';
import type { Config } from './config.ts';
import type { Store } from './store/store.ts';

/**
 * Hono's environment: the Node request and response when served by a real listener, absent under
 * `app.request()`; and the capture target, read once by capture admission for the capture route.
 */
export type AppEnv = { Bindings: Partial<HttpBindings>; Variables: { captureTarget: CaptureTarget | undefined } };

export interface AppDeps {
  store: Store;
  config: Readonly<Config>;
  /**
   * Where the server listens, known once it does (port 0 is picked then): set by whoever calls
   * `listen`, so that a forwardTo back into this server is refused. Null before, or unset under
   * `app.request()`.
   */
  listenAddress?: () => AddressInfo | null;
}
