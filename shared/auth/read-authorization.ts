import { readBase64 } from './base64.ts';
import { readBasicCredentials } from './basic.ts';
import { readBearerCredentials } from './bearer.ts';
import { finding, type CodedFinding } from './findings.ts';
import { parseAuthorization, type KnownScheme, type ParsedAuthorization, type SchemeProblem } from './header-value.ts';
import { readJwt } from './jwt.ts';
import { findPlaceholder, templateFinding } from './placeholders.ts';
import { decodeCredentialBytes } from './text-encoding.ts';
import type { BasicCredentials, BearerCredentials } from './types.ts';

export interface AuthorizationReading {
  parsed: ParsedAuthorization;
  basic?: BasicCredentials;
  bearer?: BearerCredentials;
  findings: CodedFinding[];
}

// What credentials sent without a usable scheme were meant as. Under another scheme (Digest,
// NTLM…) only strong signs count: a JWT, or base64 of "user:secret".
function guessScheme(credentials: string, problem: SchemeProblem | undefined, now: number): KnownScheme | null {
  if (credentials === '') return null;
  if (readJwt(credentials, now)) return 'bearer';
  const bytes = readBase64(credentials).bytes;
  const text = bytes && decodeCredentialBytes(bytes)?.text;
  if (text !== undefined && /^[^:\s]+:/.test(text)) return 'basic';
  if (problem?.kind !== 'none') return null;
  if (credentials.includes(':')) return 'basic';
  return credentials.length >= 20 ? 'bearer' : null;
}

const schemeNames: Record<KnownScheme, string> = { basic: 'Basic', bearer: 'Bearer' };
const accepted = 'Zendesk takes "Basic" (email and password, or email/token and API token) and "Bearer" (OAuth access token).';

function unknownSchemeFinding(problem: SchemeProblem, schemeRaw: string | null, meant: KnownScheme | null): CodedFinding {
  const name = meant ? schemeNames[meant] : 'Basic';
  const hint = meant === 'basic' ? 'the value looks like Basic credentials' : meant === 'bearer' ? 'the value looks like a Bearer token' : '';
  switch (problem.kind) {
    case 'none':
      return finding('unknown-scheme', 'error', `The header has no scheme before the credentials${hint ? `; ${hint}` : ''}. ${accepted}`, `Put "${name} " in front of the value.`);
    case 'joined':
      return finding('unknown-scheme', 'error', `There is no space between "${schemeRaw}" and the credentials, so the server reads one unknown word.`, `Put one space after "${name}".`);
    case 'punctuated':
      return finding('unknown-scheme', 'error', `The scheme is followed by punctuation ("${schemeRaw}"); the server expects the bare word "${name}" and a space.`, `Write "${name} <credentials>" with no colon or equals sign.`);
    case 'misspelled':
      return finding('unknown-scheme', 'error', `The scheme "${schemeRaw}" is not a scheme the server knows; it looks like a misspelling of "${name}".`, `Write "${name}".`);
    case 'other':
      return finding(
        'unknown-scheme',
        'warning',
        `The scheme "${schemeRaw ?? '(unreadable)'}" is not one the Zendesk API accepts${hint ? ` (${hint})` : ''}. ${accepted}`,
        meant ? `Use "${name}".` : 'Use "Basic" or "Bearer".',
      );
  }
}

/**
 * Everything one Authorization value says: its scheme and credentials as sent and as meant, and
 * the findings about it.
 *
 * @example
 * readAuthorization('Basic amRvZUBleGFtcGxlLmNvbTpwdw==', Date.now()).basic?.email; // 'jdoe@example.com'
 */
export function readAuthorization(value: string, now: number): AuthorizationReading {
  const parsed = parseAuthorization(value);
  const reading: AuthorizationReading = { parsed, findings: [...parsed.findings] };
  if (parsed.scheme === null) return reading;
  const meant = parsed.meant ?? guessScheme(parsed.credentials, parsed.schemeProblem, now);
  if (parsed.schemeProblem) reading.findings.push(unknownSchemeFinding(parsed.schemeProblem, parsed.schemeRaw, meant));
  if (parsed.template !== undefined) {
    const real = meant === 'bearer' ? 'your real OAuth access token' : meant === 'basic' ? 'the base64 of your real "email/token:api_token"' : 'your real credentials';
    reading.findings.push(templateFinding('The header', parsed.template, `Replace it with ${real}.`));
    return reading;
  }
  if (meant === 'basic') {
    const basic = readBasicCredentials(parsed.credentials);
    if (basic.basic) reading.basic = basic.basic;
    if (basic.tokenLike !== undefined) {
      const jwt = readJwt(basic.tokenLike, now);
      reading.bearer = jwt ? { token: basic.tokenLike, jwt } : { token: basic.tokenLike };
    }
    reading.findings.push(...basic.findings);
  } else if (meant === 'bearer') {
    const bearer = readBearerCredentials(parsed.credentials, now);
    if (bearer.bearer) reading.bearer = bearer.bearer;
    if (bearer.basic) reading.basic = bearer.basic;
    reading.findings.push(...bearer.findings);
  } else {
    const placeholder = findPlaceholder(parsed.credentials);
    if (placeholder !== undefined) reading.findings.push(templateFinding('The header', placeholder, 'Replace it with your real credentials.'));
  }
  return reading;
}
