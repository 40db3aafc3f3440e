/**
 * Comparing two stored requests: what differs between the one that works and the one that fails.
 * Pure TypeScript, shared by the server (`GET /api/compare`), the CLI (`authbin diff`) and the browser.
 */
export { compareRequests, type ComparedRequest, type CompareOptions } from './compare-requests.ts';
export type * from './types.ts';
export { maskedCredentials } from './masked.ts';
export { unreadBodiesNote } from './refusal.ts';
export { visibleText } from './visible.ts';
