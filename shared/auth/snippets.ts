import { canonicalHeader } from './expected.ts';
import type { Expected } from './types.ts';

/** One ready-to-run way to send the expected credentials. */
export interface Snippet {
  /** The tool, as shown on its tab: "curl", "Shell", "PowerShell", "Python", "Node". */
  label: string;
  /** For syntax colouring: "shell", "powershell", "python", "javascript". */
  language: string;
  code: string;
}

interface SnippetCode {
  curl: string;
  /** Builds the header with `printf '%s' … | base64`: never `echo`, which adds a newline. */
  shell: string;
  powershell: string;
  python: string;
  node: string;
}

/**
 * The endpoint snippets call when none is given: Zendesk's "who am I", which needs no permission.
 *
 * @example
 * snippets(expected, defaultSnippetUrl.replace('SUBDOMAIN', 'acme'));
 */
export const defaultSnippetUrl = 'https://SUBDOMAIN.zendesk.com/api/v2/users/me.json';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function powershellQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019]/g, (q) => q + q)}'`;
}

// JSON string literals are valid in JavaScript and in Python.
function literal(text: string): string {
  return JSON.stringify(text);
}

function basicPair(expected: Expected): { user: string; secret: string } | undefined {
  if (expected.kind === 'password') return { user: expected.email, secret: expected.password };
  if (expected.kind === 'api-token') return { user: `${expected.email}/token`, secret: expected.token };
  return undefined;
}

function pythonBasic(user: string, secret: string, url: string): string {
  // requests encodes str credentials as Latin-1; Zendesk reads UTF-8, so non-ASCII ones go as bytes.
  const ascii = /^[\u0000-\u007f]*$/.test(user + secret);
  const auth = ascii
    ? `(${literal(user)}, ${literal(secret)})`
    : `(${literal(user)}.encode("utf-8"), ${literal(secret)}.encode("utf-8"))`;
  const lines = ['import requests', ''];
  if (!ascii) lines.push('# Non-ASCII credentials must be UTF-8 bytes: requests would encode text as Latin-1.');
  lines.push(`response = requests.get(${literal(url)}, auth=${auth})`, 'print(response.status_code, response.text)');
  return lines.join('\n');
}

function basicSnippets(user: string, secret: string, url: string): SnippetCode {
  const pair = `${user}:${secret}`;
  return {
    curl: `curl -u ${shellQuote(pair)} ${shellQuote(url)}`,
    shell: [
      `credentials=$(printf '%s' ${shellQuote(pair)} | base64 | tr -d '\\n')`,
      `curl -H "Authorization: Basic $credentials" ${shellQuote(url)}`,
    ].join('\n'),
    powershell: [
      `$pair = ${powershellQuote(pair)}`,
      '$credentials = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))',
      `Invoke-RestMethod -Uri ${powershellQuote(url)} -Headers @{ Authorization = "Basic $credentials" }`,
    ].join('\n'),
    python: pythonBasic(user, secret, url),
    node: [
      `const credentials = Buffer.from(${literal(pair)}, 'utf8').toString('base64');`,
      `const response = await fetch(${literal(url)}, { headers: { Authorization: \`Basic \${credentials}\` } });`,
      'console.log(response.status, await response.text());',
    ].join('\n'),
  };
}

function headerSnippets(name: string, value: string, url: string): SnippetCode {
  const line = `${name}: ${value}`;
  return {
    curl: `curl -H ${shellQuote(line)} ${shellQuote(url)}`,
    shell: `curl -H ${shellQuote(line)} ${shellQuote(url)}`,
    powershell: `Invoke-RestMethod -Uri ${powershellQuote(url)} -Headers @{ ${powershellQuote(name)} = ${powershellQuote(value)} }`,
    python: ['import requests', '', `response = requests.get(${literal(url)}, headers={${literal(name)}: ${literal(value)}})`, 'print(response.status_code, response.text)'].join('\n'),
    node: [`const response = await fetch(${literal(url)}, { headers: { ${literal(name)}: ${literal(value)} } });`, 'console.log(response.status, await response.text());'].join('\n'),
  };
}

/**
 * How to send the expected credentials with curl, a POSIX shell, PowerShell, Python `requests`
 * and Node `fetch` (the header itself is {@link canonicalHeader}). Basic credentials are always
 * encoded from UTF-8 text.
 *
 * @example
 * snippets({ kind: 'api-token', email: 'jdoe@example.com', token: 'abc' })[0];
 * // { label: 'curl', language: 'shell', code: "curl -u 'jdoe@example.com/token:abc' 'https://SUBDOMAIN.zendesk.com/api/v2/users/me.json'" }
 */
export function snippets(expected: Expected, url: string = defaultSnippetUrl): Snippet[] {
  const { name, value } = canonicalHeader(expected);
  const pair = basicPair(expected);
  const code = pair ? basicSnippets(pair.user, pair.secret, url) : headerSnippets(name, value, url);
  return [
    { label: 'curl', language: 'shell', code: code.curl },
    { label: 'Shell', language: 'shell', code: code.shell },
    { label: 'PowerShell', language: 'powershell', code: code.powershell },
    { label: 'Python', language: 'python', code: code.python },
    { label: 'Node', language: 'javascript', code: code.node },
  ];
}
