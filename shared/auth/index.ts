/**
 * authbin's Authorization analysis: why an API call does not authenticate. Pure TypeScript with
 * no Node or DOM imports, shared by the server, the CLI and the browser.
 *
 * @example
 * import { analyze } from '../shared/auth/index.ts';
 * analyze({ headers: [['Authorization', 'Basic …']], expected: { kind: 'api-token', email, token } });
 */
export { analyze, analyzeAuthorization } from './analyze.ts';
export { compareToExpected } from './compare.ts';
export { canonicalHeader, expectedFindings, expectedSecretLabel, type HeaderLine } from './expected.ts';
export { findingCodes, sortFindings, type FindingCode } from './findings.ts';
export { snippets, defaultSnippetUrl, type Snippet } from './snippets.ts';
export { parseRawHttpRequest, type RawHttpRequest } from './raw-request.ts';
export { readDecodeInput, type DecodeInput } from './decode-input.ts';
export { encodeBase64, readBase64 } from './base64.ts';
export { readJwt } from './jwt.ts';
export type * from './types.ts';
