import { describePastedCharacters, findPastedCharacters, withoutPastedCharacters } from './characters.ts';
import { editDistance } from './edit-distance.ts';
import { finding, type CodedFinding } from './findings.ts';
import { findPlaceholder } from './placeholders.ts';

export type KnownScheme = 'basic' | 'bearer';

/** Why the scheme is not plainly Basic or Bearer. */
export type SchemeProblem =
  | { kind: 'none' } // credentials with no scheme in front
  | { kind: 'joined'; meant: KnownScheme } // "BasicYWJj": no space after the scheme
  | { kind: 'punctuated'; meant: KnownScheme } // "Basic: …", "Bearer=…"
  | { kind: 'misspelled'; meant: KnownScheme } // "Basci", "Baerer"
  | { kind: 'other' }; // Digest, NTLM, Token, ApiKey…

export interface ParsedAuthorization {
  scheme: 'basic' | 'bearer' | 'other' | null;
  /** The scheme word as sent; null when there is none (or what stands there is not a word). */
  schemeRaw: string | null;
  /** The scheme the credentials were meant for: as sent, or read through a typo or a doubled scheme. */
  meant: KnownScheme | null;
  /** What follows the scheme and its spaces, exactly as sent. */
  rawCredentials: string;
  /** The credentials as meant: quotes, spaces, pasted characters and repeated schemes taken out. */
  credentials: string;
  schemeProblem?: SchemeProblem;
  /** Template text standing where the credentials belong ("{{token}}", "$TOKEN", "<api_token>"), read with its spaces. */
  template?: string;
  findings: CodedFinding[];
}

const properName: Record<KnownScheme, string> = { basic: 'Basic', bearer: 'Bearer' };

/** The scheme `word` names, in any letter case, or undefined: `knownScheme('BASIC')` is 'basic'. */
export function knownScheme(word: string): KnownScheme | undefined {
  const lower = word.toLowerCase();
  return lower === 'basic' || lower === 'bearer' ? lower : undefined;
}

function misspeltScheme(word: string): KnownScheme | undefined {
  const lower = word.toLowerCase();
  if (lower.length < 4 || lower.length > 8) return undefined;
  if (editDistance(lower, 'basic') <= 2) return 'basic';
  if (editDistance(lower, 'bearer') <= 2) return 'bearer';
  return undefined;
}

// Scheme names are short words; a long or digit-bearing lone value is credentials sent without one.
const schemeWord = /^[A-Za-z][A-Za-z-]{1,15}$/;
const quotePairs: [string, string][] = [['"', '"'], ["'", "'"], ['`', '`'], ['\u201c', '\u201d'], ['\u2018', '\u2019']];
const quoteChars = /^["'`\u201c\u201d\u2018\u2019]|["'`\u201c\u201d\u2018\u2019]$/g;
const bytesAtEnd = /(?:^|\s)b(['"])[^'"]*\1$/;

function unquote(text: string): { text: string; quoted: boolean } {
  for (const [open, close] of quotePairs) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) return { text: text.slice(1, -1).trim(), quoted: true };
  }
  // The closing quote of a b'…' at the end is not a stray quote: unwrapBytes reads it.
  if (bytesAtEnd.test(text)) return { text, quoted: false };
  const stripped = text.replace(quoteChars, '');
  return { text: stripped, quoted: stripped !== text };
}

// Python's text for a bytes value: str() or an f-string over base64.b64encode(), which returns bytes.
const bytesLiteral = /^b(['"])([\s\S]*)\1$/;

function unwrapBytes(text: string): { text: string; bytes: boolean } {
  const match = bytesLiteral.exec(text);
  // base64.encodebytes() ends each 76-character line with a newline, which the bytes text shows as "\n".
  return match ? { text: (match[2] ?? '').replace(/\\n/g, '').trim(), bytes: true } : { text, bytes: false };
}

function bytesFinding(): CodedFinding {
  return finding(
    'python-bytes',
    'error',
    "The credentials are Python's text for a bytes value (b'…'): base64.b64encode() returns bytes, and str() or an f-string over them adds the b'…' around the base64, which the server reads as part of the credentials.",
    'Decode the bytes before building the header: "Basic " + base64.b64encode(credentials.encode()).decode("ascii") — or let requests build it: auth=("email/token", "api_token").',
  );
}

function whitespaceFinding(value: string, rawCredentials: string, innerSpaces: boolean): CodedFinding | undefined {
  const errors: string[] = [];
  const warnings: string[] = [];
  const lineBreak = /\r|\n/.exec(value.replace(/[\r\n]+$/, ''));
  if (lineBreak) {
    const at = lineBreak.index + 1;
    const wrapped = rawCredentials.indexOf('\n') === 76 || rawCredentials.indexOf('\r') === 76;
    errors.push(
      `a line break at character ${at}${wrapped ? ' (base64 wraps its output every 76 characters unless told not to)' : ''}`,
    );
  }
  if (/[\r\n]+$/.test(value)) errors.push('a line break at the end');
  if (/\t/.test(value)) errors.push('a tab');
  if (innerSpaces) errors.push('spaces inside the credentials');
  if (/^[ \t]/.test(value)) warnings.push('a space before the scheme');
  if (/[ \t]$/.test(value)) warnings.push('a space at the end');
  if (/^\S+ {2,}/.test(value.trimStart())) warnings.push('more than one space after the scheme');
  if (errors.length === 0 && warnings.length === 0) return undefined;
  const found = [...errors, ...warnings].join(', ');
  return finding(
    'whitespace',
    errors.length > 0 ? 'error' : 'warning',
    `The header value has ${found}. Servers split the value on a single space, so anything else can change what they read.`,
    `Send exactly "Scheme credentials": one space, no line breaks or tabs${lineBreak ? " (base64 -w0, or pipe through tr -d '\\n')" : ''}.`,
  );
}

/**
 * Splits an Authorization value into scheme and credentials the way a strict server would, and
 * notes how it departs from `Basic <base64>` / `Bearer <token>`: case, spaces, quotes, a repeated
 * or misspelt scheme, pasted characters.
 *
 * @example
 * parseAuthorization('basic  bWU6cHc=').schemeRaw; // 'basic'
 * parseAuthorization('Basic Bearer abc').meant; // 'bearer'
 */
export function parseAuthorization(value: string): ParsedAuthorization {
  return parsePlainAuthorization(value) ?? parseAnyAuthorization(value);
}

// "Basic <base64>" or "Bearer <token>" with one space and nothing else around: most headers.
const plainHeader = /^(basic|bearer) ([\w+/=.~-]+)$/i;

// The reading of a plain header, without the searches for flaws it cannot have; undefined for any other value.
function parsePlainAuthorization(value: string): ParsedAuthorization | undefined {
  const match = plainHeader.exec(value);
  if (!match) return undefined;
  const schemeRaw = match[1]!;
  const credentials = match[2]!;
  // "Basic Basic=": a doubled scheme, which only the full reading names.
  let end = credentials.length;
  while (end > 0 && credentials.charCodeAt(end - 1) === 61) end--;
  if ((end === 5 || end === 6) && knownScheme(credentials.slice(0, end)) !== undefined) return undefined;
  const scheme = schemeRaw.length === 5 ? 'basic' : 'bearer';
  const findings: CodedFinding[] = [];
  if (schemeRaw !== properName[scheme]) findings.push(schemeCaseFinding(scheme, schemeRaw));
  return { scheme, schemeRaw, meant: scheme, rawCredentials: credentials, credentials, findings };
}

function schemeCaseFinding(scheme: KnownScheme, schemeRaw: string): CodedFinding {
  return finding(
    'scheme-case',
    'info',
    `The scheme is written "${schemeRaw}"; the specification spells it "${properName[scheme]}". Scheme names are case-insensitive, but some servers compare them exactly.`,
    `Write "${properName[scheme]}".`,
  );
}

function parseAnyAuthorization(value: string): ParsedAuthorization {
  const findings: CodedFinding[] = [];
  if (value.trim() === '') {
    findings.push(finding('missing', 'error', 'The Authorization header is sent but empty.', 'Send "Authorization: Basic <base64 of email/token:api_token>" or "Authorization: Bearer <OAuth token>".'));
    return { scheme: null, schemeRaw: null, meant: null, rawCredentials: '', credentials: '', findings };
  }
  const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '');
  const rawCredentials = /^\S+[ \t]+([\s\S]*)$/.exec(trimmed)?.[1] ?? '';
  const pasted = findPastedCharacters(value);
  if (pasted.length > 0) {
    findings.push(
      finding(
        'invisible-chars',
        'error',
        `The header value contains characters that were probably pasted from a document or chat: ${describePastedCharacters(pasted)}.`,
        'Type the header again, or paste it into a plain-text editor first and remove those characters.',
      ),
    );
  }
  const wholeBytes = unwrapBytes(withoutPastedCharacters(value).trim());
  let bytes = wholeBytes.bytes;
  const whole = unquote(wholeBytes.text);
  let quoted = whole.quoted;
  if (whole.text === '') {
    findings.push(finding('missing', 'error', 'The Authorization header holds no credentials: only quotes or invisible characters.', 'Send "Authorization: Basic <base64 of email/token:api_token>" or "Authorization: Bearer <OAuth token>".'));
    return { scheme: null, schemeRaw: null, meant: null, rawCredentials, credentials: '', findings };
  }
  const tokens = whole.text.split(/\s+/).filter((t) => t !== '');
  const first = tokens[0] ?? '';
  let rest = tokens.slice(1);
  let scheme: ParsedAuthorization['scheme'] = 'other';
  let schemeRaw: string | null = first;
  let meant: KnownScheme | null = null;
  let schemeProblem: SchemeProblem | undefined;
  const bare = first.replace(/[:=]+$/, '');
  const glued = /^(basic|bearer)([:=]*)(.{4,})$/i.exec(first);
  if (knownScheme(bare)) {
    meant = knownScheme(bare) ?? null;
    if (bare !== first) schemeProblem = { kind: 'punctuated', meant: meant ?? 'basic' };
    else scheme = meant;
  } else if (tokens.length === 1 && glued) {
    meant = knownScheme(glued[1] ?? '') ?? null;
    schemeRaw = glued[1] ?? null;
    schemeProblem = { kind: glued[2] ? 'punctuated' : 'joined', meant: meant ?? 'basic' };
    rest = [glued[3] ?? ''];
  } else if (tokens.length === 1 && !schemeWord.test(first)) {
    schemeRaw = null;
    schemeProblem = { kind: 'none' };
    rest = [first];
  } else if (misspeltScheme(bare)) {
    meant = misspeltScheme(bare) ?? null;
    schemeProblem = { kind: 'misspelled', meant: meant ?? 'basic' };
  } else {
    schemeProblem = { kind: 'other' };
    if (first.length > 30) schemeRaw = null;
  }
  if ((scheme === 'basic' || scheme === 'bearer') && schemeRaw !== properName[scheme]) findings.push(schemeCaseFinding(scheme, first));
  const repeated: string[] = [];
  while (rest.length > 0 && knownScheme((rest[0] ?? '').replace(/[:=]+$/, ''))) {
    const word = rest.shift() ?? '';
    repeated.push(word);
    meant = knownScheme(word.replace(/[:=]+$/, '')) ?? meant;
  }
  if (repeated.length > 0) {
    const inner = properName[meant ?? 'basic'];
    findings.push(
      finding(
        'doubled-scheme',
        'error',
        `The header names the scheme more than once ("${[schemeRaw ?? first, ...repeated].join(' ')} …"), so the server reads "${repeated[0]}" as the credentials.`,
        `Send the scheme once: "${inner} ${meant === 'bearer' ? '<token>' : '<base64>'}". Code samples that already add the scheme must be given only the encoded part.`,
      ),
    );
  }
  const innerBytes = unwrapBytes(rest.join(' '));
  bytes ||= innerBytes.bytes;
  const inner = unquote(innerBytes.text);
  quoted ||= inner.quoted;
  let credentials = inner.text;
  // Read before spaces are taken out: "{base-64-encoded email_address/token:api_token}" is one placeholder, not spaced base64.
  const template = /[^\w+/=.~-]/.test(credentials) ? findPlaceholder(credentials) : undefined;
  // Line breaks and tabs are named on their own (whitespaceFinding): "spaces" are the other blanks, as sent.
  const innerSpaces = template === undefined && /\s/.test(credentials) && /[^\S\r\n\t]/.test(rawCredentials.trim());
  credentials = credentials.replace(/\s+/g, '');
  if (bytes) findings.push(bytesFinding());
  if (quoted) {
    findings.push(
      finding(
        'quoted',
        'error',
        'The header value or its credentials are wrapped in quotes, which the server takes as part of the credentials.',
        'Remove the quotes: Authorization: Basic <base64> or Authorization: Bearer <token>, with no quotes around either part.',
      ),
    );
  }
  const spaces = whitespaceFinding(value, rawCredentials, innerSpaces);
  if (spaces) findings.push(spaces);
  if (meant === null && scheme !== 'other') meant = scheme;
  const parsed: ParsedAuthorization = { scheme, schemeRaw, meant, rawCredentials, credentials, findings };
  if (schemeProblem) parsed.schemeProblem = schemeProblem;
  if (template !== undefined) parsed.template = template;
  return parsed;
}
