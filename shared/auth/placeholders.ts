/** Template text from documentation that was copied without being replaced by real values. */

import { finding, type CodedFinding } from './findings.ts';

// Whole values that are the name of what belongs there.
const placeholderWords = new Set([
  'token', 'api_token', 'apitoken', 'your_token', 'access_token', 'oauth_token', 'oauth_access_token', 'api_key', 'apikey',
  'password', 'your_password', 'email', 'email_address', 'your_email', 'username', 'changeme',
  'change_me', 'replace_me', 'replaceme', 'todo', 'base64', 'base64_encoded', 'base_64_encoded_code',
  'basic_64_encoded_code', 'encoded_credentials', 'credentials',
]);

const placeholderPatterns: RegExp[] = [
  /\{\{?\s*[A-Za-z_$][\w$.\-/:@ ]{0,60}\}\}?/, // {email_address}, {{token}}, {base-64-encoded email_address/token:api_token}
  /<\s*[A-Za-z_][\w.\-/:@ ]{0,60}>/, // <subdomain>, <api token>, <email>/token:<api_token>
  /\$\([^)]{0,60}\)?/, // $(echo -n … | base64) inside single quotes
  /\$\{[A-Za-z_]\w*\}|(?:^|[^\w$])\$[A-Z_][A-Z0-9_]{2,}(?![a-z])/, // "Bearer $TOKEN", "${EMAIL}/token:…"

  /\[\s*(?:your|api|access|email|token|password)[\w\- ]{0,40}\]/i, // [your token]
  /(?:^|[^A-Za-z0-9])(?:your)[_\- ]?(?:zendesk[_\- ]?)?(?:api[_\- ]?)?(?:token|email|e-mail|password|key|subdomain|access[_\- ]?token|secret|username)(?![A-Za-z])/i,
  /base[_\- ]?64[_\- ]?encoded/i,
  /(?:^|[^A-Za-z0-9])x{3,}(?:[^A-Za-z0-9]|$)/i, // xxxx, me@xxx.com
  /\.\.\.|\u2026/, // "…" where the value was cut short
];

// Lower case never shortens text, so values longer than the longest word cannot be one of them.
const longestWord = Math.max(...[...placeholderWords].map((word) => word.length));

// Text every pattern above needs, so that most values are settled by one search.
const patternHint = /[{<[$\u2026]|\.\.\.|your|base|xxx/i;

// A shell or batch variable that was never expanded: $ZENDESK_TOKEN, ${TOKEN}, %API_TOKEN%.
const unexpandedVariable = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%)$/;

/**
 * The template text in `value`, if any: `{email_address}`, `<subdomain>`, `your_api_token`,
 * `Basic_64_encoded_code`, `xxxx`, `$API_TOKEN`, `{{token}}`. Returns the matched text (at most 60 characters).
 *
 * @example
 * findPlaceholder('{email_address}/token'); // '{email_address}'
 * findPlaceholder('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'); // undefined
 */
export function findPlaceholder(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length <= longestWord && placeholderWords.has(trimmed.toLowerCase().replace(/[- ]/g, '_'))) return trimmed;
  if (unexpandedVariable.test(trimmed)) return trimmed.slice(0, 60);
  if (!patternHint.test(trimmed)) return undefined;
  for (const pattern of placeholderPatterns) {
    const match = pattern.exec(trimmed);
    if (match) return match[0].replace(/^[^A-Za-z0-9{<[$%_.\u2026]+|[^A-Za-z0-9}>)\]_.\u2026]+$/g, '').slice(0, 60);
  }
  return undefined;
}

// What sends a variable's name instead of its value, and how to make it send the value.
function unresolvedVariable(text: string): { what: string; fix: string } | undefined {
  if (text.startsWith('{{')) {
    return {
      what: 'a Postman variable that was never resolved: Postman sends the text as it is when the selected environment does not define the variable',
      fix: `Define "${text.replace(/^\{\{\s*|\s*\}\}$/g, '')}" in the active Postman environment (or the collection's variables) and select that environment, or type the value in.`,
    };
  }
  if (text.startsWith('$(')) {
    return {
      what: 'a shell command that was never run: inside single quotes (or in a config file) the shell passes $(…) on as text',
      fix: 'Use double quotes so the shell runs it: curl -H "Authorization: Basic $(printf \'%s\' "$EMAIL/token:$TOKEN" | base64 -w0)" …',
    };
  }
  if (text.startsWith('$')) {
    return {
      what: 'a shell variable that was never expanded: inside single quotes (or in a config file, a .env read by a tool that does not expand it) the shell passes the name on as text',
      fix: 'Use double quotes so the shell expands it (curl -H "Authorization: Bearer $TOKEN" …), and check that the variable is set: echo "${#TOKEN}".',
    };
  }
  if (/^%\w+%$/.test(text)) {
    return { what: 'a Windows batch variable that was never expanded', fix: 'Set it in the same cmd session (set TOKEN=…), or in PowerShell write $env:TOKEN.' };
  }
  return undefined;
}

/**
 * The finding for template text in `subject` ("The header", "The token"…): `unresolved-variable`
 * for a Postman, shell or batch variable sent by name, `placeholder` for a documentation's
 * example text, with `fix` saying what the real value is.
 *
 * @example
 * templateFinding('The header', '{{token}}', 'Replace it.').code; // 'unresolved-variable'
 * templateFinding('The header', '<api_token>', 'Replace it.').code; // 'placeholder'
 */
export function templateFinding(subject: string, text: string, fix: string): CodedFinding {
  const variable = unresolvedVariable(text);
  if (variable) return finding('unresolved-variable', 'error', `${subject} contains "${text}", ${variable.what}.`, variable.fix);
  return finding('placeholder', 'error', `${subject} still contains template text from an example: "${text}". It is the documentation's placeholder, not your credentials.`, fix);
}
