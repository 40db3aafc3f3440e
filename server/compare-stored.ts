import type { ComparedSide, CompareResult, RequestDetail } from '../shared/api.ts';
import { compareRequests } from '../shared/compare/index.ts';
import type { Listener } from '../shared/signatures/request-url.ts';
import { toDetail } from './request-views.ts';
import type { StoredRequest } from './store/store.ts';

function side(detail: RequestDetail): ComparedSide {
  return { id: detail.id, bin: detail.bin, receivedAt: detail.receivedAt };
}

/** Two stored requests compared as `GET /api/compare` answers and `authbin diff` prints: A against B, credentials masked. */
export async function compareStored(a: StoredRequest, b: StoredRequest, listener: Listener, strict: boolean): Promise<CompareResult> {
  const detailA = toDetail(a, listener);
  const detailB = toDetail(b, listener);
  const comparison = await compareRequests(detailA, detailB, { strict });
  return { requests: { a: side(detailA), b: side(detailB) }, ...comparison };
}
