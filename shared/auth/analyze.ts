import { compareToExpected } from './compare.ts';
import { expectedFindings, readExpected } from './expected.ts';
import { finding, sortFindings, type CodedFinding } from './findings.ts';
import { isAuthorizationName } from './header-name.ts';
import { readAuthorization } from './read-authorization.ts';
import { credentialsInBody, credentialsInUrl, misnamedAuthorization } from './request-locations.ts';
import type { Analysis, AnalyzeInput, Expected, HeaderPair } from './types.ts';
import { signatureHeaderNames } from '../signatures/header-names.ts';

function missingFinding(headers: readonly HeaderPair[]): CodedFinding {
  // A signed webhook proves where it comes from with its signature: no Authorization is normal there.
  const signature = headers.find(([name]) => signatureHeaderNames.has(name.toLowerCase()));
  if (signature) {
    return finding(
      'missing',
      'info',
      `No Authorization header was sent; the request is signed instead (${signature[0]}), which is how webhooks prove where they come from. Check the signature with its signing secret.`,
      "If the receiving endpoint also expects an Authorization header, set the webhook's authentication (Basic, Bearer token or API key) in the sender.",
    );
  }
  const total = headers.length;
  return finding(
    'missing',
    'error',
    `No Authorization header was sent${total > 0 ? ` (the request has ${total} other header${total === 1 ? '' : 's'})` : ''}, so the server treats the request as anonymous.`,
    'Send "Authorization: Basic <base64 of email/token:api_token>" or "Authorization: Bearer <OAuth token>". Credentials in the URL or body are ignored.',
  );
}

// A webhook configured with an API key sends it in its own header, and no Authorization at all.
function apiKeyHeaderSent(headers: readonly HeaderPair[], expected: Expected | undefined): boolean {
  if (expected?.kind !== 'api-key') return false;
  const name = expected.header.trim().toLowerCase();
  return headers.some(([n]) => n.toLowerCase() === name);
}

/**
 * Explains a request's credentials: decodes the Authorization header, lists every problem found
 * (errors first) with a plain-English message and a fix, and, given `expected`, compares part by
 * part. Pure and synchronous; never throws.
 *
 * @example
 * const analysis = analyze({ headers: [['Authorization', 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjphYmM=']] });
 * analysis.basic?.kind; // 'api-token'
 * analysis.findings; // [] — nothing wrong with the header itself
 */
export function analyze(input: AnalyzeInput): Analysis {
  const headers = input.headers;
  const now = input.now ?? Date.now();
  const sent = headers.filter(([name]) => isAuthorizationName(name));
  const first = sent[0];
  const findings: CodedFinding[] = [];
  const analysis: Analysis = { present: first !== undefined, scheme: null, schemeRaw: null, findings: [] };
  const reading = first ? readAuthorization(first[1], now) : undefined;
  if (!first && !apiKeyHeaderSent(headers, input.expected)) findings.push(missingFinding(headers));
  if (sent.length > 1) {
    findings.push(
      finding(
        'multiple-headers',
        'error',
        `The request has ${sent.length} Authorization headers. Servers read only one of them (which one varies) or reject the request; authbin analysed the first.`,
        'Send exactly one Authorization header: a client default and a header added by hand often both end up in the request.',
      ),
    );
  }
  if (reading) {
    analysis.scheme = reading.parsed.scheme;
    analysis.schemeRaw = reading.parsed.schemeRaw;
    if (reading.basic) analysis.basic = reading.basic;
    if (reading.bearer) analysis.bearer = reading.bearer;
    findings.push(...reading.findings);
  }
  const allowedHeader = input.expected?.kind === 'api-key' ? input.expected.header.trim() : undefined;
  const misnamed = misnamedAuthorization(headers, first !== undefined, allowedHeader);
  if (misnamed) findings.push(misnamed);
  const inUrl = input.url === undefined ? undefined : credentialsInUrl(input.url, first !== undefined);
  if (inUrl) findings.push(inUrl);
  const inBody = input.body === undefined ? undefined : credentialsInBody(input.body, input.contentType, first !== undefined);
  if (inBody) findings.push(inBody);
  if (input.expected) {
    // The comparison and the findings both need the expected header read: it is read once for both.
    const wanted = input.expected.kind === 'api-key' ? undefined : readExpected(input.expected, now);
    analysis.comparison = compareToExpected(headers, input.expected, now, reading, wanted);
    findings.push(...expectedFindings(input.expected, now, wanted));
  }
  analysis.findings = sortFindings(findings);
  return analysis;
}

/**
 * {@link analyze} for a single Authorization value, as pasted into the decode page or the CLI.
 *
 * @example
 * analyzeAuthorization('Bearer eyJhbGciOi…').scheme; // 'bearer'
 */
export function analyzeAuthorization(value: string, options: { expected?: Expected; now?: number } = {}): Analysis {
  return analyze({ headers: [['Authorization', value]], ...options });
}
