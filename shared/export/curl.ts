/**
 * "Copy as curl": a command that sends a stored request again with the same method, path, query,
 * headers (name case, order, duplicates) and body bytes — only `Host` follows the new URL.
 */
import { shellQuote } from './shell-quote.ts';
import {
  authbinOrigin,
  bodyPlan,
  downloadHint,
  isPerHopHeader,
  targetUrl,
  truncationWarning,
  type ExportableRequest,
  type SnippetTarget,
} from './request-parts.ts';

/** curl asks for `100-continue` above this body size, which the original request may not have done. */
const curlExpectThreshold = 1024 * 1024;

/** Leaves plain words unquoted, so the command stays readable. */
function word(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : shellQuote(text);
}

function hasHeader(headers: [string, string][], name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name);
}

/** `--path-as-is` keeps `/./` and `/../`, which curl would otherwise resolve away. */
function hasDotSegment(path: string): boolean {
  return /(^|\/)\.\.?(\/|$)/.test(path);
}

/**
 * A bash/zsh command that repeats the request byte for byte. Text bodies are written inline
 * (`$'…'` when they hold line breaks or control characters); binary and large bodies are read
 * from `request-<id>.bin`, and comment lines say how to download it.
 *
 * @example
 * curlCommand(detail, { url: 'http://localhost:3000/hook' })
 * // curl 'http://localhost:3000/hook' \
 * //   -H 'Content-Type: application/json' \
 * //   -H 'Content-Length: 7' \
 * //   -H 'User-Agent:' \
 * //   -H 'Accept:' \
 * //   --data-binary '{"a":1}'
 */
export function curlCommand(request: ExportableRequest, options: SnippetTarget): string {
  const plan = bodyPlan(request, { allowBase64: false });
  const sentSize = plan.kind === 'text' ? new TextEncoder().encode(plan.text).length : plan.kind === 'file' ? plan.size : 0;
  const hasData = plan.kind !== 'none';
  const method = request.method;
  const url = targetUrl(options.url, request);

  const first = ['curl'];
  if (method.toUpperCase() === 'HEAD') first.push('--head');
  else if (!(method === 'GET' && !hasData) && !(method === 'POST' && hasData)) first.push('-X', word(method));
  if (/[[\]{}]/.test(url)) first.push('--globoff');
  if (hasDotSegment(request.path)) first.push('--path-as-is');
  first.push(shellQuote(url));

  const lines = [first.join(' ')];
  const header = (name: string, value: string) => lines.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (isPerHopHeader(name)) continue;
    // The length of what is sent now, so a truncated body does not leave the receiver waiting.
    if (lower === 'content-length') header(name, String(sentSize));
    // curl frames a chunked upload itself, but it cannot do so without data.
    else if (lower === 'transfer-encoding') {
      if (hasData && value.trim().toLowerCase() === 'chunked') header(name, value);
    } else header(name, value);
  }
  // Without these, curl would add headers the original request did not have.
  if (!hasHeader(request.headers, 'user-agent')) lines.push(`-H 'User-Agent:'`);
  if (!hasHeader(request.headers, 'accept')) lines.push(`-H 'Accept:'`);
  if (hasData && !hasHeader(request.headers, 'content-type')) lines.push(`-H 'Content-Type:'`);
  if (sentSize > curlExpectThreshold) lines.push(`-H 'Expect:'`);

  if (plan.kind === 'text') {
    // --data-binary would read a file when the text starts with "@"; --data-raw never does.
    lines.push(`${plan.text.startsWith('@') ? '--data-raw' : '--data-binary'} ${shellQuote(plan.text)}`);
  } else if (plan.kind === 'file') {
    lines.push(`--data-binary @${plan.fileName}`);
  }

  const comments = [
    truncationWarning(request),
    ...(plan.kind === 'file' ? downloadHint(request, plan, authbinOrigin(request, options.url, options.origin)) : []),
  ].filter((line) => line !== undefined);
  return [...comments.map((line) => `# ${line}`), lines.join(' \\\n  ')].join('\n');
}
