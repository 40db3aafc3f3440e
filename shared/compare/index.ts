/**
 * Comparing two stored requests: what differs between the one that works and the one that fails.
 * Pure TypeScript, shared by the server and the browser.
 */
export { compareRequests, type ComparedRequest, type CompareOptions, type RequestComparison } from './compare-requests.ts';
export type { AuthorizationComparison } from './authorization.ts';
export type { BodyComparison, JsonChange } from './body.ts';
export type { Change, NamedDifference } from './aligned.ts';
export type { DiffLine } from './line-diff.ts';
export { visibleText } from './visible.ts';
