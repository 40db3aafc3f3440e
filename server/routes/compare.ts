import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { compareStored } from '../compare-stored.ts';
import { ApiFailure } from '../errors.ts';
import { listenerOf } from '../request-views.ts';
import { requestId } from './validate.ts';

const usage = 'compare two requests with /api/compare?a={id}&b={id} (add &strict=1 to count header name case and order)';

function strictFlag(value: string | undefined): boolean {
  if (value === undefined || /^(|0|false|no)$/i.test(value)) return false;
  if (/^(1|true|yes)$/i.test(value)) return true;
  throw new ApiFailure(400, 'invalid_strict', `"strict" must be 1 or 0, not "${value.slice(0, 20)}"`);
}

/** `GET /api/compare?a=&b=`: what differs from request A to request B, as the compare page shows it. */
export function compareRoutes({ store, config }: AppDeps) {
  const listener = listenerOf(config);
  return new Hono<AppEnv>().get('/', async (c) => {
    const ids = (['a', 'b'] as const).map((side) => {
      const value = c.req.query(side);
      if (value === undefined || value === '') throw new ApiFailure(400, 'missing_id', `missing ?${side}=: ${usage}`);
      return requestId(value, `request id in ?${side}=`);
    });
    const strict = strictFlag(c.req.query('strict'));
    const [a, b] = await Promise.all(
      ids.map(async (id, i) => {
        const found = await store.getRequest(id);
        if (!found) throw new ApiFailure(404, 'request_not_found', `no request with id ${id} (request ${i === 0 ? 'A' : 'B'}): it was deleted, expired, or never existed`);
        return found;
      }),
    );
    return c.json(await compareStored(a!, b!, listener, strict), 200);
  });
}
