import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiAccess, hostAllowList } from './access.ts';
import type { AppDeps, AppEnv } from './app-deps.ts';
import { CaptureAdmission } from './capture/admission.ts';
import { dropRest } from './capture/discard-rest.ts';
import { ApiFailure, codeForStatus, errorBody } from './errors.ts';
import { createRelay, type Relay } from './forward/relay.ts';
import { LiveHub } from './live/hub.ts';
import { LoginThrottle } from './login-throttle.ts';
import { analyzeRoutes } from './routes/analyze.ts';
import { binRoutes } from './routes/bins.ts';
import { ruleRoutes } from './routes/rules.ts';
import { captureRoutes } from './routes/capture.ts';
import { compareRoutes } from './routes/compare.ts';
import { eventRoutes } from './routes/events.ts';
import { replayRoutes } from './routes/replay.ts';
import { requestRoutes } from './routes/requests.ts';
import { sessionRoutes } from './routes/session.ts';
import { transferRoutes } from './routes/transfer.ts';
import { waitRoutes } from './routes/wait.ts';
import { webRoutes } from './routes/web.ts';
import { securityHeaders } from './security-headers.ts';
import { Sessions } from './sessions.ts';

const maxApiBodyBytes = 1024 * 1024;

/**
 * The authbin HTTP app: capture under `/b/`, the JSON API under `/api/`, the UI everywhere else.
 * Listening is main.ts's job; tests call `app.request()` or serve it on port 0.
 */
export function createApp(deps: AppDeps & { hub?: LiveHub; admission?: CaptureAdmission; relay?: Relay }) {
  const hub = deps.hub ?? new LiveHub(deps.store);
  const gate = { config: deps.config, sessions: new Sessions(deps.store, deps.config.token), throttle: new LoginThrottle() };
  const api = new Hono<AppEnv>()
    .use(async (c, next) => {
      // GET and HEAD carry no body to limit, and asking for one would build a whole fetch Request.
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
      // An import is limited as it streams in (bodyLimit would hold all of it).
      if (c.req.method === 'POST' && c.req.path.endsWith('/import')) return next();
      return bodyLimit({
        maxSize: maxApiBodyBytes,
        // The connection is closed rather than left half-read, once what is left of the body has been dropped:
        // closing with the client's bytes unread sends a reset that can overtake this 413.
        onError: async (c) => {
          if (c.env?.incoming) await dropRest(c.env.incoming, 8 * maxApiBodyBytes);
          return c.json(errorBody('too_large', `this API request's body is limited to ${maxApiBodyBytes} bytes`), 413, { Connection: 'close' });
        },
      })(c, next);
    })
    .use(apiAccess(gate))
    .route('/bins', binRoutes(deps))
    .route('/bins', ruleRoutes(deps))
    .route('/bins', eventRoutes(deps, hub))
    .route('/bins', waitRoutes(deps))
    .route('/bins', transferRoutes(deps))
    .route('/requests', requestRoutes(deps))
    .route('/requests', replayRoutes(deps))
    .route('/compare', compareRoutes(deps))
    .route('/analyze', analyzeRoutes(deps));

  const app = new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ ok: true }, 200))
    .route('/b', captureRoutes(deps, deps.relay ?? createRelay(deps), deps.admission ?? new CaptureAdmission(deps)))
    .use(securityHeaders)
    .use(hostAllowList(deps.config))
    .route('/', sessionRoutes(gate))
    .route('/api', api)
    .all('/api/*', () => {
      throw new ApiFailure(404, 'not_found', 'no such API route');
    })
    .route('/', webRoutes(deps));

  app.notFound((c) => c.json(errorBody('not_found', 'not found'), 404));
  app.onError((error, c) => {
    if (error instanceof ApiFailure) return c.json(errorBody(error.code, error.message), error.status, error.headers);
    if ('getResponse' in error && typeof error.getResponse === 'function') {
      const status = (error as unknown as { status: number }).status;
      return c.json(errorBody(codeForStatus(status), error.message || 'request failed'), status as 400);
    }
    // Only the error, never the request: captured requests hold credentials.
    console.error(`authbin: internal error on ${c.req.method} ${c.req.routePath}: ${error.stack ?? error.message}`);
    return c.json(errorBody('internal', 'authbin failed to handle this request'), 500);
  });
  return app;
}
