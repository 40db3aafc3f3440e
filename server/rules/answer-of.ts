import type { BinResponse } from '../../shared/api.ts';
import { isBinStatus } from '../../shared/http/bin-response-rules.ts';
import type { RequestAnswer } from '../../shared/rules/types.ts';
import type { Store, StoredRequest } from '../store/store.ts';

/**
 * How a capture was answered when nothing was recorded for it: captures on bins without rules, and
 * those authbin answers itself before rules apply (a 413, a CORS preflight, a request its HTTP parser
 * refused). Worked out when read rather than stored, since writing it would be a second commit per
 * capture (the bench figure is in the commit that made this). The bin's response is the one set now.
 */
export function unrecordedAnswer(request: StoredRequest, binResponse: BinResponse | null): RequestAnswer {
  if (request.parserError) return { status: 400, rule: null, reasons: ["authbin's HTTP parser refused the request"], own: true };
  if (request.truncated) return { status: 413, rule: null, reasons: ['the body was larger than the limit (--max-body-bytes): its first bytes were stored'], own: true };
  if (request.method === 'OPTIONS' && request.headers.some(([name]) => name.toLowerCase() === 'access-control-request-method')) {
    return { status: 204, rule: null, reasons: ['a CORS preflight, which authbin answers itself'], own: true };
  }
  return { status: isBinStatus(binResponse?.status) ? binResponse.status : 200, rule: null, reasons: [] };
}

/** How a stored capture was answered: as recorded, or else worked out by {@link unrecordedAnswer}. */
export async function answerOf(store: Store, request: StoredRequest): Promise<RequestAnswer> {
  return request.answer ?? unrecordedAnswer(request, await store.binResponse(request.bin));
}
