import type { StoredBody } from '../api.ts';
import type { BodyComparison, ComparedSideName, RequestComparison } from './types.ts';

/**
 * The body of a request the HTTP parser refused, as its signatures are compared: unknown, like a
 * truncated one. What is stored as its body is its head as received, never a body.
 */
export const unreadBody: StoredBody = { size: 0, truncated: true, base64: '' };

/** The bodies when the parser refused a side: not compared, as it never read one. */
export function refusedBodies(refused: ComparedSideName[]): BodyComparison {
  const both = refused.length === 2;
  return { kind: 'refused', same: both, sameBytes: both, refused };
}

/**
 * The comparison's first sentences when the parser refused a side. Two refused for the same reason
 * do not differ in that: the comparison's parts say they were, its sentences say what differs.
 *
 * @example
 * refusalSentences({ same: false, a: null, b: { code: 'HPE_CR_EXPECTED', explanation: 'the Authorization header contains a line break…' } });
 * // ['B was refused by the HTTP parser: the Authorization header contains a line break…']
 */
export function refusalSentences({ a, b }: RequestComparison['refusal']): string[] {
  if (a && b && a.code === b.code && a.explanation === b.explanation) return [];
  return [...(a ? [`A was refused by the HTTP parser: ${a.explanation}`] : []), ...(b ? [`B was refused by the HTTP parser: ${b.explanation}`] : [])];
}

/**
 * What the body part of a comparison says when the parser refused a side (the page and `authbin diff`).
 *
 * @example
 * unreadBodiesNote(['b']); // 'B has no body to compare: the HTTP parser refused it at its head, before any body was read'
 */
export function unreadBodiesNote(refused: ComparedSideName[]): string {
  if (refused.length === 2) return 'Neither request has a body to compare: the HTTP parser refused both at their head, before any body was read';
  return `${refused[0]!.toUpperCase()} has no body to compare: the HTTP parser refused it at its head, before any body was read`;
}
