import type { Context } from 'hono';
import type { Bin, BinList } from '../../shared/api.ts';
import { isBinName } from '../../shared/http/bin-name.ts';
import type { AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import type { BinQuery } from '../store/store.ts';

const defaultPageSize = 100;
const maxPageSize = 1000;
const maxFilterLength = 64;

/**
 * A bin list cursor: the last bin's activity (ms) and id, as in `1733145600000.zendesk`: where
 * the next page starts, whichever bins are created or deleted meanwhile.
 */
const cursorPattern = /^(\d{1,16})\.(.+)$/;

/** `GET /api/bins?limit=&before=&q=` as a store query: the page asked for, and one bin more that tells whether another page follows. */
export function binListQuery(c: Context<AppEnv>): { pageSize: number; query: BinQuery } {
  const limitText = c.req.query('limit') ?? String(defaultPageSize);
  const pageSize = Number(limitText);
  if (!/^\d+$/.test(limitText) || pageSize < 1 || pageSize > maxPageSize) {
    throw new ApiFailure(400, 'invalid_limit', `"limit" must be a whole number from 1 to ${maxPageSize}`);
  }
  const query: BinQuery = { limit: pageSize + 1 };
  const before = c.req.query('before');
  if (before !== undefined) {
    const cursor = cursorPattern.exec(before);
    if (!cursor || !isBinName(cursor[2]!)) throw new ApiFailure(400, 'invalid_cursor', `invalid cursor "${before.slice(0, 80)}": pass the "next" of the previous page as "before"`);
    query.after = { activity: Number(cursor[1]), id: cursor[2]! };
  }
  const q = c.req.query('q')?.trim();
  if (q !== undefined && q.length > maxFilterLength) throw new ApiFailure(400, 'invalid_query', `"q" is a part of a bin name: at most ${maxFilterLength} characters`);
  if (q) query.idContains = q;
  return { pageSize, query };
}

/** The page of a list read with `binListQuery`, and the cursor to the next page. */
export function binListPage(bins: Bin[], pageSize: number): BinList {
  if (bins.length <= pageSize) return { bins, next: null };
  const page = bins.slice(0, pageSize);
  const last = page[page.length - 1]!;
  return { bins: page, next: `${Date.parse(last.lastRequestAt ?? last.createdAt)}.${last.id}` };
}
