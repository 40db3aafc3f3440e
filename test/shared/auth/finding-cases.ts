import type { FindingCode } from '../../../shared/auth/index.ts';
import type { AnalyzeInput, Severity } from '../../../shared/auth/types.ts';
import { basicWith, docCredentials, docEmail, docHeader, docToken, epochSeconds, python, quote, shell, signedJwt } from './make-credentials.ts';

/** One real input that must produce a finding, and what the finding must say. */
export interface FindingCase {
  name: string;
  input: AnalyzeInput;
  severity: Severity;
  /** Something the message (or fix) must say for the person to act on it. */
  says?: RegExp;
}

export const now = Date.parse('2025-06-01T12:00:00Z');
const oauthToken = 'a3f1c9e07b5d4e2f8a6c1b9d0e7f3a5c2b8d4f6e1a9c7b3d5f0e2a4c6b8d1f3e';
const doc = docCredentials;

function authorization(value: string): AnalyzeInput {
  return { headers: [['Authorization', value]], now };
}

function request(headers: [string, string][], extra: Partial<AnalyzeInput> = {}): AnalyzeInput {
  return { headers, now, ...extra };
}

const printfBase64 = (text: string) => shell(`printf '%s' ${quote(text)} | base64 -w0`);

export const findingCases: Record<FindingCode, FindingCase[]> = {
  missing: [
    { name: 'no Authorization header among others', input: request([['Host', 'x.zendesk.com'], ['Content-Type', 'application/json']]), severity: 'error', says: /No Authorization header/ },
    { name: 'an empty Authorization header', input: authorization(''), severity: 'error', says: /empty/ },
    { name: 'a header of only quotes', input: authorization('""'), severity: 'error', says: /only quotes/ },
    { name: 'credentials only in the URL', input: request([['Host', 'x']], { url: 'https://x.zendesk.com/api/v2/users/me.json?api_token=abc' }), severity: 'error' },
  ],
  'multiple-headers': [
    { name: 'the same header twice', input: request([['Authorization', docHeader], ['Authorization', docHeader]]), severity: 'error', says: /2 Authorization headers/ },
    { name: 'a client default and a hand-made header', input: request([['authorization', 'Bearer abc'], ['Authorization', docHeader]]), severity: 'error' },
  ],
  'nonstandard-header': [
    { name: 'British spelling', input: request([['Authorisation', docHeader]]), severity: 'error', says: /"Authorisation"/ },
    { name: 'X- prefix', input: request([['X-Authorization', `Bearer ${oauthToken}`]]), severity: 'error' },
    { name: 'CGI-style name', input: request([['HTTP_AUTHORIZATION', docHeader]]), severity: 'error' },
    { name: 'a typo beside a real header', input: request([['Authorization', docHeader], ['Authorizaton', docHeader]]), severity: 'warning' },
  ],
  'credentials-in-url': [
    { name: 'api_token query parameter', input: request([], { url: '/api/v2/tickets.json?api_token=abc&email=jdoe%40example.com' }), severity: 'error', says: /"api_token"/ },
    { name: 'userinfo in the URL', input: request([], { url: 'https://jdoe%40example.com:secret@sub.zendesk.com/api/v2/users/me.json' }), severity: 'error', says: /user and password/ },
    { name: 'access_token beside a header', input: request([['Authorization', docHeader]], { url: '/api/v2/users/me.json?access_token=abc' }), severity: 'info' },
  ],
  'credentials-in-body': [
    { name: 'JSON fields', input: request([], { body: JSON.stringify({ email: docEmail, api_token: docToken }), contentType: 'application/json' }), severity: 'error', says: /"api_token"/ },
    { name: 'form fields', input: request([], { body: 'username=jdoe%40example.com&password=secret', contentType: 'application/x-www-form-urlencoded' }), severity: 'error', says: /"password"/ },
    { name: 'nested under "auth"', input: request([], { body: '{"auth":{"token":"abc"}}' }), severity: 'error' },
  ],
  'unknown-scheme': [
    { name: 'GitHub-style "token"', input: authorization('Token abc123def456'), severity: 'warning', says: /"Token"/ },
    { name: 'base64 with no scheme', input: authorization(printfBase64(doc)), severity: 'error', says: /Put "Basic " in front/ },
    { name: 'misspelt "Basci"', input: authorization(`Basci ${printfBase64(doc)}`), severity: 'error', says: /misspelling of "Basic"/ },
    { name: 'colon after the scheme', input: authorization(`Basic: ${printfBase64(doc)}`), severity: 'error', says: /punctuation/ },
    { name: '"Basic" glued to the base64', input: authorization(`Basic${printfBase64(doc)}`), severity: 'error', says: /no space/ },
  ],
  'scheme-case': [
    { name: 'lower case basic', input: authorization(docHeader.replace('Basic', 'basic')), severity: 'info', says: /"basic"/ },
    { name: 'upper case BEARER', input: authorization(`BEARER ${oauthToken}`), severity: 'info' },
  ],
  'doubled-scheme': [
    { name: 'Basic Basic', input: authorization(`Basic ${docHeader}`), severity: 'error', says: /more than once/ },
    { name: 'Bearer Bearer', input: authorization(`Bearer Bearer ${oauthToken}`), severity: 'error' },
    { name: 'Basic Bearer', input: authorization(`Basic Bearer ${oauthToken}`), severity: 'error', says: /"Bearer <token>"/ },
  ],
  whitespace: [
    // GNU base64 wraps at 76 characters; $(…) keeps the inner line break.
    { name: 'base64 wrapped at 76 characters', input: authorization(`Basic ${shell(`printf '%s' ${quote(doc)} | base64`).trimEnd()}`), severity: 'error', says: /line break at character \d+ \(base64 wraps its output every 76 characters unless told not to\)\. Servers/ },
    { name: 'a tab after the scheme', input: authorization(docHeader.replace(' ', '\t')), severity: 'error', says: /tab/ },
    { name: 'two spaces after the scheme', input: authorization(docHeader.replace(' ', '  ')), severity: 'warning', says: /more than one space/ },
    { name: 'a space inside the base64', input: authorization(`${docHeader.slice(0, 30)} ${docHeader.slice(30)}`), severity: 'error', says: /has spaces inside the credentials\./ },
  ],
  quoted: [
    { name: 'the whole value in double quotes', input: authorization(`"${docHeader}"`), severity: 'error' },
    { name: 'the token in single quotes', input: authorization(`Bearer '${oauthToken}'`), severity: 'error' },
    { name: 'a stray closing quote', input: authorization(`${docHeader}"`), severity: 'error' },
  ],
  'python-bytes': [
    { name: 'str() over base64.b64encode()', input: authorization(python(`"Basic " + str(base64.b64encode(${JSON.stringify(doc)}.encode()))`)), severity: 'error', says: /\.decode\("ascii"\)/ },
    { name: 'an f-string over base64.b64encode()', input: authorization(python(`f"Basic {base64.b64encode('jdoe@example.com:pw'.encode())}"`)), severity: 'error', says: /b'…'/ },
    { name: 'str() over the whole header built as bytes', input: authorization(python(`str(b"Bearer " + ${JSON.stringify(oauthToken)}.encode())`)), severity: 'error' },
    { name: 'an f-string over a token read as bytes, then encoded', input: authorization(python(`"Basic " + base64.b64encode(f"jdoe@example.com/token:{'${docToken}'.encode()}".encode()).decode()`)), severity: 'error', says: /API token inside the credentials/ },
    { name: "base64.encodebytes() in '%s' (escaped line breaks)", input: authorization(python(`"Basic %s" % base64.encodebytes(${JSON.stringify(doc)}.encode())`)), severity: 'error' },
  ],
  placeholder: [
    { name: "the support article's raw placeholder", input: authorization('Basic {base-64-encoded email_address/token:api_token}'), severity: 'error', says: /\{base-64-encoded email_address\/token:api_token\}".*documentation's placeholder/ },
    { name: 'angle-bracket template of the credentials', input: authorization('Basic <base64 of email/token:api_token>'), severity: 'error', says: /<base64 of email\/token:api_token>/ },
    { name: 'YOUR_API_TOKEN after Bearer', input: authorization('Bearer YOUR_API_TOKEN'), severity: 'error', says: /YOUR_API_TOKEN/ },
    { name: "the support article's Python sample", input: authorization('Basic Basic_64_encoded_code'), severity: 'error', says: /Basic_64_encoded_code/ },
    { name: 'doc template encoded', input: authorization(basicWith('{email_address}/token:{api_token}')), severity: 'error', says: /\{email_address\}/ },
    { name: 'angle-bracket token', input: authorization('Bearer <access_token>'), severity: 'error' },
  ],
  'unresolved-variable': [
    // Postman sends "{{name}}" as it is when the selected environment does not define the variable.
    { name: 'Postman {{token}} in a Bearer header', input: authorization('Bearer {{token}}'), severity: 'error', says: /Postman variable.*Define "token"/ },
    { name: "Postman's Basic Auth helper over {{email}} and {{api_token}}", input: authorization(basicWith('{{email}}/token:{{api_token}}')), severity: 'error', says: /"\{\{email\}\}", a Postman variable/ },
    { name: "curl -H 'Authorization: Bearer $TOKEN' (single quotes)", input: authorization(shell(`TOKEN=abc; printf '%s' 'Bearer $TOKEN'`)), severity: 'error', says: /"\$TOKEN", a shell variable.*double quotes/ },
    { name: "curl -H 'Authorization: Basic $(… | base64)' (single quotes)", input: authorization(shell(`printf '%s' 'Basic $(echo -n "$EMAIL/token:$TOKEN" | base64)'`)), severity: 'error', says: /shell command that was never run/ },
    { name: 'unexpanded shell variable, then encoded', input: authorization(`Basic ${printfBase64('jdoe@example.com/token:$ZENDESK_API_TOKEN')}`), severity: 'error', says: /\$ZENDESK_API_TOKEN/ },
  ],
  'invalid-base64': [
    { name: 'a character outside the alphabet', input: authorization(`Basic ${printfBase64(doc).slice(0, 20)}!${printfBase64(doc).slice(21)}`), severity: 'error', says: /"!" at character 21/ },
    { name: 'a truncated copy', input: authorization(`Basic ${printfBase64(doc).slice(0, 81)}`), severity: 'error', says: /length/ },
    { name: 'credentials not encoded at all', input: authorization(`Basic ${doc}`), severity: 'error', says: /plain text/ },
  ],
  base64url: [
    { name: "Node's base64url", input: authorization(`Basic ${Buffer.from('jdoe@example.com:p>?~w0rd>>').toString('base64url')}`), severity: 'error', says: /base64url/ },
    { name: 'basenc --base64url', input: authorization(`Basic ${shell(`printf '%s' ${quote('jdoe@example.com:s?cr~t>>')} | basenc --base64url -w0`)}`), severity: 'error' },
  ],
  'missing-padding': [
    { name: "padding stripped with tr -d '='", input: authorization(`Basic ${shell(`printf '%s' ${quote('jdoe@example.com:pw')} | base64 -w0 | tr -d '='`)}`), severity: 'warning' },
    { name: "Node's base64url (never padded)", input: authorization(`Basic ${Buffer.from('jdoe@example.com:pw').toString('base64url')}`), severity: 'warning' },
  ],
  'double-encoded': [
    { name: 'base64 piped into base64', input: authorization(`Basic ${shell(`printf '%s' ${quote(doc)} | base64 -w0 | base64 -w0`)}`), severity: 'error', says: /twice/ },
    { name: 'Buffer encoded twice', input: authorization(basicWith(Buffer.from('jdoe@example.com:pw').toString('base64'))), severity: 'error' },
  ],
  utf16: [
    { name: "PowerShell's [Text.Encoding]::Unicode (UTF-16LE)", input: authorization(basicWith(doc, 'utf16le')), severity: 'error', says: /UTF-16/ },
    { name: 'iconv -t UTF-16LE', input: authorization(`Basic ${shell(`printf '%s' ${quote(doc)} | iconv -f UTF-8 -t UTF-16LE | base64 -w0`)}`), severity: 'error' },
    { name: 'iconv -t UTF-16BE', input: authorization(`Basic ${shell(`printf '%s' ${quote('jdoe@example.com:pw')} | iconv -f UTF-8 -t UTF-16BE | base64 -w0`)}`), severity: 'error', says: /BigEndianUnicode/ },
  ],
  latin1: [
    { name: 'iconv -t ISO-8859-1', input: authorization(`Basic ${shell(`printf '%s' ${quote('jdoe@example.com:pässwort')} | iconv -f UTF-8 -t ISO-8859-1 | base64 -w0`)}`), severity: 'error', says: /ISO-8859-1/ },
    { name: "Node's Buffer latin1, £ as one byte", input: authorization(basicWith('jdoe@example.com:£1000', 'latin1')), severity: 'error', says: /character 1 of the password/ },
  ],
  'non-ascii': [
    { name: 'umlaut in a UTF-8 password', input: authorization(`Basic ${printfBase64('jdoe@example.com:pässwort')}`), severity: 'info' },
    { name: 'non-ASCII email', input: authorization(basicWith(`jörg@example.com/token:${docToken}`)), severity: 'info' },
  ],
  'trailing-newline': [
    { name: 'echo without -n', input: authorization(`Basic ${shell(`echo ${quote(doc)} | base64 -w0`)}`), severity: 'error', says: /echo/ },
    { name: 'a Windows line break', input: authorization(basicWith(`${doc}\r\n`)), severity: 'error', says: /\\r\\n/ },
  ],
  'surrounding-whitespace': [
    { name: 'a space after the colon', input: authorization(basicWith(`${docEmail}/token: ${docToken}`)), severity: 'error' },
    { name: 'a space after the token', input: authorization(basicWith(`${doc} `)), severity: 'error', says: /API token/ },
    { name: 'a space before the email', input: authorization(basicWith(` ${doc}`)), severity: 'error', says: /user/ },
  ],
  'invisible-chars': [
    { name: 'zero-width space in the token', input: authorization(basicWith(`${docEmail}/token:${docToken.slice(0, 10)}\u200b${docToken.slice(10)}`)), severity: 'error', says: /U\+200B ZERO WIDTH SPACE at character 11 of the API token/ },
    { name: 'non-breaking space after the scheme', input: authorization(docHeader.replace(' ', '\u00a0')), severity: 'error', says: /NO-BREAK SPACE/ },
    { name: 'curly quote in a password', input: authorization(basicWith('jdoe@example.com:it\u2019s-mine')), severity: 'error', says: /RIGHT SINGLE QUOTATION MARK/ },
    { name: 'byte order mark before the email', input: authorization(basicWith(`\ufeff${doc}`)), severity: 'error' },
  ],
  'no-colon': [
    { name: 'only the token encoded', input: authorization(`Basic ${printfBase64(docToken)}`), severity: 'error', says: /only the API token/ },
    { name: 'only the email encoded', input: authorization(`Basic ${printfBase64(docEmail)}`), severity: 'error' },
    { name: 'the raw token after Basic', input: authorization(`Basic ${docToken}`), severity: 'error', says: /sent as it is/ },
  ],
  'extra-colon': [
    { name: 'user:secret in the username field, empty password', input: authorization(basicWith(`${doc}:`)), severity: 'error', says: /username field/ },
    { name: 'user:secret in the username field and the token again', input: authorization(basicWith(`${doc}:${docToken}`)), severity: 'error' },
  ],
  'empty-secret': [
    { name: 'email and colon only', input: authorization(`Basic ${printfBase64('jdoe@example.com:')}`), severity: 'error' },
    { name: 'Bearer with no token', input: authorization('Bearer'), severity: 'error', says: /no token/ },
    { name: 'email/token and colon only', input: authorization(basicWith('jdoe@example.com/token:')), severity: 'error', says: /API token is empty/ },
  ],
  'not-an-email': [
    { name: 'a user name', input: authorization(`Basic ${printfBase64('jdoe:secret')}`), severity: 'warning', says: /"jdoe"/ },
    { name: 'a user name with /token', input: authorization(basicWith(`jdoe/token:${docToken}`)), severity: 'warning' },
  ],
  'token-suffix-missing': [
    { name: 'email:api_token', input: authorization(`Basic ${printfBase64(`${docEmail}:${docToken}`)}`), severity: 'error', says: /no "\/token" suffix/ },
    { name: 'curl -u email:api_token', input: authorization(basicWith(`support@acme.io:${'Zx9'.repeat(13)}Q`)), severity: 'error' },
  ],
  'token-suffix-malformed': [
    { name: 'capital /Token', input: authorization(basicWith(`${docEmail}/Token:${docToken}`)), severity: 'error', says: /"\/Token"/ },
    { name: 'backslash \\token', input: authorization(basicWith(`${docEmail}\\token:${docToken}`)), severity: 'error' },
    { name: 'plural /tokens', input: authorization(basicWith(`${docEmail}/tokens:${docToken}`)), severity: 'error' },
    { name: 'a space after /token', input: authorization(basicWith(`${docEmail}/token :${docToken}`)), severity: 'error' },
    { name: ':token instead of /token', input: authorization(basicWith(`${docEmail}:token:${docToken}`)), severity: 'error', says: /colon/ },
  ],
  'bearer-looks-basic': [
    { name: 'base64 credentials after Bearer', input: authorization(`Bearer ${printfBase64(doc)}`), severity: 'error', says: /Basic header/ },
    { name: 'plain credentials after Bearer', input: authorization(`Bearer ${doc}`), severity: 'error' },
    { name: 'an API token after Bearer', input: authorization(`Bearer ${docToken}`), severity: 'warning', says: /API token/ },
  ],
  'basic-looks-bearer': [
    { name: 'a JWT after Basic', input: authorization(`Basic ${signedJwt({ sub: '1', exp: epochSeconds(now, 3600) })}`), severity: 'error', says: /JWT/ },
    { name: 'a Zendesk OAuth token after Basic', input: authorization(`Basic ${oauthToken}`), severity: 'error', says: /64 hexadecimal/ },
  ],
  'jwt-expired': [
    { name: 'expired an hour ago', input: authorization(`Bearer ${signedJwt({ sub: '1', exp: epochSeconds(now, -3600) })}`), severity: 'error', says: /expired 1 hour ago/ },
    { name: 'an old SSO JWT', input: authorization(`Bearer ${signedJwt({ email: docEmail, iat: 1_600_000_000, exp: 1_600_000_300 })}`), severity: 'error', says: /SSO/ },
  ],
  'jwt-not-yet-valid': [
    { name: 'nbf in ten minutes', input: authorization(`Bearer ${signedJwt({ sub: '1', nbf: epochSeconds(now, 600), exp: epochSeconds(now, 3600) })}`), severity: 'error', says: /10 minutes from now/ },
    { name: 'nbf tomorrow', input: authorization(`Bearer ${signedJwt({ nbf: epochSeconds(now, 86_400) })}`), severity: 'error' },
  ],
  'jwt-alg-none': [
    { name: 'alg none', input: authorization(`Bearer ${signedJwt({ sub: '1' }, { alg: 'none', typ: 'JWT' })}`), severity: 'error', says: /unsigned/ },
    { name: 'alg NONE', input: authorization(`Bearer ${signedJwt({ sub: '1', exp: epochSeconds(now, 60) }, { alg: 'NONE' })}`), severity: 'error' },
  ],
};
