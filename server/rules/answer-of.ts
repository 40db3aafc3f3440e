import type { RequestAnswer } from '../../shared/rules/types.ts';
import type { StoredRequest } from '../store/store.ts';

/** What is said of a request stored by an authbin that did not record its answer: the bin's response then is not known. */
export const answerNotRecorded = 'answer not recorded (stored by an older authbin)';

/**
 * How a stored capture was answered. Recorded when it was stored (the status of the bin's own
 * response, or what its rules decided), null then meaning the default `200 {"ok":true,"id"}`. Those
 * authbin answers itself before rules apply (a 413, a CORS preflight, a request its HTTP parser
 * refused) are told by the request alone, for requests stored by any authbin; for other requests an
 * older authbin stored, the bin's response at the time is not known, and this says so.
 */
export function answerOf(request: StoredRequest): RequestAnswer {
  if (request.answer) return request.answer;
  if (request.parserError) return { status: 400, rule: null, reasons: ["authbin's HTTP parser refused the request"], own: true };
  if (request.truncated) return { status: 413, rule: null, reasons: ['the body was larger than the limit (--max-body-bytes): its first bytes were stored'], own: true };
  if (request.method === 'OPTIONS' && request.headers.some(([name]) => name.toLowerCase() === 'access-control-request-method')) {
    return { status: 204, rule: null, reasons: ['a CORS preflight, which authbin answers itself'], own: true };
  }
  if (!request.answerRecorded) return { status: null, rule: null, reasons: [answerNotRecorded] };
  return { status: 200, rule: null, reasons: [] };
}
