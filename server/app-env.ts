import type { HttpBindings } from '@hono/node-server';
import type { Config } from './config.ts';
import type { Store } from './store/store.ts';

/** Hono's environment: the Node request and response when served by a real listener, absent under `app.request()`. */
export type AppEnv = { Bindings: Partial<HttpBindings> };

export interface AppDeps {
  store: Store;
  config: Readonly<Config>;
}
