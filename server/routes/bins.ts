import { Hono } from 'hono';
import type { BinList } from '../../shared/api.ts';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { forwardLoop } from '../forward/forward-loop.ts';
import { binListPage, binListQuery } from './bin-page.ts';
import { requestFilter } from './filter.ts';
import { binId, binResponse, forwardTarget, isObject, jsonBody, requestId } from './validate.ts';

const maxPageSize = 500;

/** Random, unguessable bin ids: 128 bits as 22 base64url characters. */
function randomBinId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}

/** Refuses a forwardTo whose relays this server would capture again (the same bin or another). */
async function refuseForwardLoop(forwardTo: string | null | undefined, callerHost: string | undefined, listenAddress: AppDeps['listenAddress']): Promise<void> {
  if (!forwardTo) return;
  const loop = await forwardLoop(new URL(forwardTo), { listening: listenAddress?.(), callerHost });
  if (loop) throw new ApiFailure(400, 'forward_loop', `"forwardTo" leads back into this authbin: ${loop}`);
}

export function binRoutes({ store, listenAddress }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { pageSize, query } = binListQuery(c);
      return c.json(binListPage(await store.listBins(query), pageSize) satisfies BinList, 200);
    })
    .post('/', async (c) => {
      const input = await jsonBody(c);
      if (!isObject(input)) throw new ApiFailure(400, 'invalid_input', 'expected a JSON object such as {"id": "my-bin"}');
      const id = input.id === undefined ? randomBinId() : typeof input.id === 'string' ? binId(input.id) : binId(String(input.id));
      const response = input.response === undefined ? null : binResponse(input.response);
      const forwardTo = input.forwardTo === undefined ? undefined : forwardTarget(input.forwardTo);
      await refuseForwardLoop(forwardTo, c.req.header('host'), listenAddress);
      const bin = await store.createBin(id, response);
      if (!bin) throw new ApiFailure(409, 'bin_exists', `a bin named "${id}" exists already`);
      return c.json(forwardTo ? (await store.updateBin(id, { forwardTo }))! : bin, 201);
    })
    .get('/:bin', async (c) => {
      const bin = await store.getBin(binId(c.req.param('bin')));
      if (!bin) throw new ApiFailure(404, 'bin_not_found', `no bin named "${c.req.param('bin')}"`);
      return c.json(bin, 200);
    })
    .patch('/:bin', async (c) => {
      const id = binId(c.req.param('bin'));
      const input = await jsonBody(c);
      if (!isObject(input) || !('response' in input || 'forwardTo' in input)) {
        throw new ApiFailure(400, 'invalid_input', 'expected {"response": {...} | null} and/or {"forwardTo": "https://…" | null}');
      }
      const forwardTo = 'forwardTo' in input ? forwardTarget(input.forwardTo) : undefined;
      await refuseForwardLoop(forwardTo, c.req.header('host'), listenAddress);
      const bin = await store.updateBin(id, {
        ...('response' in input && { response: binResponse(input.response) }),
        ...(forwardTo !== undefined && { forwardTo }),
      });
      if (!bin) throw new ApiFailure(404, 'bin_not_found', `no bin named "${id}"`);
      return c.json(bin, 200);
    })
    .delete('/:bin', async (c) => {
      const id = binId(c.req.param('bin'));
      if (!(await store.deleteBin(id))) throw new ApiFailure(404, 'bin_not_found', `no bin named "${id}"`);
      return c.body(null, 204);
    })
    .get('/:bin/requests', async (c) => {
      const id = binId(c.req.param('bin'));
      const limitText = c.req.query('limit') ?? '50';
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > maxPageSize) {
        throw new ApiFailure(400, 'invalid_limit', `"limit" must be a whole number from 1 to ${maxPageSize}`);
      }
      const before = c.req.query('before');
      const page = await store.listSummaries(id, {
        limit,
        filter: requestFilter(c),
        ...(before !== undefined && { before: requestId(before, 'cursor') }),
      });
      return c.json(page, 200);
    })
    .delete('/:bin/requests', async (c) => {
      const id = binId(c.req.param('bin'));
      const deleted = await store.clearBin(id);
      return c.json({ deleted }, 200);
    });
}
