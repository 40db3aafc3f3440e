/** Template text from documentation that was copied without being replaced by real values. */

// Whole values that are the name of what belongs there.
const placeholderWords = new Set([
  'token', 'api_token', 'apitoken', 'your_token', 'access_token', 'oauth_token', 'oauth_access_token', 'api_key', 'apikey',
  'password', 'your_password', 'email', 'email_address', 'your_email', 'username', 'changeme',
  'change_me', 'replace_me', 'replaceme', 'todo', 'base64', 'base64_encoded', 'base_64_encoded_code',
  'basic_64_encoded_code', 'encoded_credentials', 'credentials',
]);

const placeholderPatterns: RegExp[] = [
  /\{\{?\s*[A-Za-z_$][\w$.\- ]{0,40}\s*\}\}?/, // {email_address}, {{token}}
  /<\s*[A-Za-z_][\w.\- ]{0,40}\s*>/, // <subdomain>, <api token>
  /\[\s*(?:your|api|access|email|token|password)[\w\- ]{0,40}\]/i, // [your token]
  /(?:^|[^A-Za-z0-9])(?:your)[_\- ]?(?:zendesk[_\- ]?)?(?:api[_\- ]?)?(?:token|email|e-mail|password|key|subdomain|access[_\- ]?token|secret|username)(?![A-Za-z])/i,
  /base_?64_?encoded/i,
  /(?:^|[^A-Za-z0-9])x{3,}(?:[^A-Za-z0-9]|$)/i, // xxxx, me@xxx.com
  /\.\.\.|\u2026/, // "…" where the value was cut short
];

// Lower case never shortens text, so values longer than the longest word cannot be one of them.
const longestWord = Math.max(...[...placeholderWords].map((word) => word.length));

// Text every pattern above needs, so that most values are settled by one search.
const patternHint = /[{<[\u2026]|\.\.\.|your|base|xxx/i;

// A shell or batch variable that was never expanded: $ZENDESK_TOKEN, ${TOKEN}, %API_TOKEN%.
const unexpandedVariable = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%)$/;

/**
 * The template text in `value`, if any: `{email_address}`, `<subdomain>`, `your_api_token`,
 * `Basic_64_encoded_code`, `xxxx`, `$API_TOKEN`. Returns the matched text (at most 40 characters).
 *
 * @example
 * findPlaceholder('{email_address}/token'); // '{email_address}'
 * findPlaceholder('6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv'); // undefined
 */
export function findPlaceholder(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length <= longestWord && placeholderWords.has(trimmed.toLowerCase().replace(/[- ]/g, '_'))) return trimmed.slice(0, 40);
  if (unexpandedVariable.test(trimmed)) return trimmed.slice(0, 40);
  if (!patternHint.test(trimmed)) return undefined;
  for (const pattern of placeholderPatterns) {
    const match = pattern.exec(trimmed);
    if (match) return match[0].replace(/^[^A-Za-z0-9{<[$%_.\u2026]+|[^A-Za-z0-9}>\]_.\u2026]+$/g, '').slice(0, 40);
  }
  return undefined;
}
