import type { BinResponse, CaptureAck } from '../../shared/api.ts';
import { fillPlaceholders } from '../../shared/rules/placeholders.ts';
import type { StoredRequest } from '../store/store.ts';
import type { CandidateAnswer } from './answer.ts';

/**
 * What a rule answers: its own status, headers, body and delay over the bin's response (or the
 * usual acknowledgement), with placeholders filled in; header values keep to what arrives as
 * written. A rule without placeholders over a given bin response answers the same every time, so
 * that answer is built once and kept by the rule's response object (which changes with the rule)
 * beside the bin response it was built over (one object until the bin's settings change).
 */
export class RuleResponses {
  readonly #built = new WeakMap<CandidateAnswer['respond'], { over: BinResponse | null; response: BinResponse }>();

  of(ruled: CandidateAnswer, binResponse: BinResponse | null, stored: StoredRequest): BinResponse {
    const built = this.#built.get(ruled.respond);
    if (built && built.over === binResponse) return built.response;
    const response = ruleResponse(ruled, binResponse, stored);
    if (answersAlike(ruled.respond, binResponse)) this.#built.set(ruled.respond, { over: binResponse, response });
    return response;
  }
}

/** Whether a rule's answer is the same for every capture: no placeholder, and a body that does not name the capture's id. */
function answersAlike(respond: CandidateAnswer['respond'], binResponse: BinResponse | null): boolean {
  if (respond.body === undefined && !binResponse) return false;
  if (respond.body?.includes('{{')) return false;
  for (const name in respond.headers) if (respond.headers[name]!.includes('{{')) return false;
  return true;
}

function ruleResponse(ruled: CandidateAnswer, binResponse: BinResponse | null, stored: StoredRequest): BinResponse {
  const { respond } = ruled;
  const { reasons } = ruled.answer;
  // Joined only when a placeholder asks for it.
  const values = {
    get reason() {
      return reasons.join('; ');
    },
    requestId: stored.id,
    ruleName: ruled.ruleName,
    headers: stored.headers,
  };
  const headers: Record<string, string> = binResponse ? { ...binResponse.headers } : { 'Content-Type': 'application/json' };
  for (const [name, value] of Object.entries(respond.headers ?? {})) headers[name] = fillPlaceholders(value, values, true);
  return {
    status: respond.status ?? binResponse?.status,
    headers,
    body: respond.body !== undefined ? fillPlaceholders(respond.body, values) : binResponse ? binResponse.body : JSON.stringify({ ok: true, id: stored.id } satisfies CaptureAck),
    delayMs: respond.delayMs ?? binResponse?.delayMs,
    allowScripts: binResponse?.allowScripts,
  };
}
