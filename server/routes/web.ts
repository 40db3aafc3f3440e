import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppDeps, AppEnv } from '../app-deps.ts';

/**
 * The built UI: hashed assets under /assets, and index.html for every page route so that each
 * view's URL can be reloaded and shared. The page itself holds no data, so it is served to anyone:
 * everything it shows comes from the API, and a 401 there sends the browser to the login form
 * (the login cookie only goes to `/api`).
 */
export function webRoutes({ config }: AppDeps) {
  const indexPath = join(config.webRoot, 'index.html');
  const built = existsSync(indexPath);
  const app = new Hono<AppEnv>();
  if (built) {
    app.use(
      '/assets/*',
      serveStatic({
        root: config.webRoot,
        onFound: (_path, c) => {
          c.header('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    );
    app.get('/favicon.svg', serveStatic({ root: config.webRoot }));
    // A missing asset (an old page after a rebuild) is a 404, not the app's HTML.
    app.get('/assets/*', (c) => c.text('not found', 404));
  }
  return app.get('*', async (c) => {
    if (!built) return c.text('The authbin UI is not built yet: run `npm run build` (npm start does it for you).', 503);
    // Read each time (it is small) so a rebuild shows without a restart.
    return c.html(await readFile(indexPath, 'utf8'), 200, { 'Cache-Control': 'no-cache' });
  });
}
