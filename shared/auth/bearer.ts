import { readBase64 } from './base64.ts';
import { basicCredentials } from './basic.ts';
import { hasNonAscii } from './characters.ts';
import { looksLikeApiToken, splitUserSecret } from './credentials.ts';
import { finding, type CodedFinding } from './findings.ts';
import { jwtFindings, readJwt } from './jwt.ts';
import { findPlaceholder, templateFinding } from './placeholders.ts';
import { decodeCredentialBytes } from './text-encoding.ts';
import type { BasicCredentials, BearerCredentials } from './types.ts';

export interface BearerReading {
  bearer?: BearerCredentials;
  /** Basic credentials found where a Bearer token belongs. */
  basic?: BasicCredentials;
  findings: CodedFinding[];
}

// "user:secret" as text: printable, with a user before the colon.
function credentialsText(text: string): boolean {
  const { user, hasColon } = splitUserSecret(text);
  return hasColon && user.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(text.replace(/\r?\n$/, ''));
}

function basicInsideBearer(token: string): BasicCredentials | undefined {
  const bytes = readBase64(token).bytes;
  const decoded = bytes && decodeCredentialBytes(bytes);
  if (decoded && credentialsText(decoded.text)) return basicCredentials(decoded);
  if (token.includes(':') && (token.includes('@') || token.includes('/token'))) return basicCredentials({ encoding: 'utf-8', text: token });
  return undefined;
}

/**
 * Reads the token after `Bearer`: a JWT's header, payload and times, or credentials that belong
 * in a Basic header.
 *
 * @example
 * readBearerCredentials('bWU6cHc=', Date.now()).findings[0]?.code; // 'bearer-looks-basic'
 */
export function readBearerCredentials(token: string, now: number): BearerReading {
  if (token === '') {
    return { findings: [finding('empty-secret', 'error', 'The header says "Bearer" but no token follows it.', 'Add the OAuth access token after "Bearer ".')] };
  }
  const jwt = readJwt(token, now);
  if (jwt) return { bearer: { token, jwt }, findings: jwtFindings(jwt, now) };
  const bearer: BearerCredentials = { token };
  const placeholder = findPlaceholder(token);
  if (placeholder !== undefined) {
    return { bearer, findings: [templateFinding('The token', placeholder, 'Replace it with your real OAuth access token.')] };
  }
  const findings: CodedFinding[] = [];
  const basic = basicInsideBearer(token);
  if (basic) {
    const encoded = basic.decoded !== token;
    findings.push(
      finding(
        'bearer-looks-basic',
        'error',
        `The Bearer token is ${encoded ? 'base64 of ' : ''}"user:secret" credentials (user "${basic.user}"): those belong in a Basic header, and Zendesk does not accept them as a Bearer token.`,
        encoded ? 'Send the same value as "Authorization: Basic <value>".' : "Send \"Authorization: Basic <base64 of user:secret>\": printf '%s' 'email/token:api_token' | base64.",
      ),
    );
    return { bearer, basic, findings };
  }
  if (looksLikeApiToken(token)) {
    findings.push(
      finding(
        'bearer-looks-basic',
        'warning',
        'The Bearer token has the shape of a Zendesk API token (40 letters and digits). API tokens are not OAuth tokens: Zendesk takes them only in a Basic header with "email/token".',
        "Send \"Authorization: Basic <base64 of email/token:api_token>\", or use an OAuth access token here.",
      ),
    );
  }
  if (hasNonAscii(token)) {
    findings.push(finding('non-ascii', 'info', 'The token contains characters outside ASCII; OAuth tokens are plain ASCII, so it was probably damaged when copied.'));
  }
  return { bearer, findings };
}
