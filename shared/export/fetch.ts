/** "Copy as fetch": JavaScript for Node 18+ and browsers. */
import { byteStringLiteral, stringLiteral } from './literals.ts';
import {
  authbinOrigin,
  bodyPlan,
  downloadHint,
  headersToRepeat,
  targetUrl,
  truncationWarning,
  type ExportableRequest,
  type SnippetTarget,
} from './request-parts.ts';

/**
 * A `fetch` call that sends the request again. fetch computes Content-Length, lower-cases header
 * names and joins repeated headers into one (Cookie with "; ", others with ", "); a browser also
 * drops forbidden ones such as Cookie.
 * Non-ASCII header values are written as their UTF-8 bytes, one character each, since fetch sends
 * each character of a header value as one byte.
 *
 * @example
 * fetchSnippet(detail, { url: 'http://localhost:3000/hook' })
 * // const response = await fetch("http://localhost:3000/hook", {
 * //   method: "POST",
 * //   headers: [
 * //     ["Content-Type", "application/json"],
 * //   ],
 * //   body: "{\"a\":1}",
 * // });
 */
export function fetchSnippet(request: ExportableRequest, target: SnippetTarget): string {
  const plan = bodyPlan(request, { allowBase64: true });
  const comments = [truncationWarning(request)];
  // fetch refuses to send a body with GET or HEAD.
  const bodyless = /^(GET|HEAD)$/i.test(request.method);
  if (bodyless && plan.kind !== 'none') comments.push(`fetch cannot send a body with ${request.method}: the ${request.body.size}-byte body is left out.`);
  if (!bodyless && plan.kind === 'file') comments.push(...downloadHint(request, plan, authbinOrigin(request, target.url, target.origin)), 'This reads the file with Node; in a browser, use a File from an <input type="file">.');

  const lines: string[] = [];
  if (!bodyless && plan.kind === 'file') lines.push('import { readFile } from "node:fs/promises";', '');
  lines.push(...comments.filter((c) => c !== undefined).map((c) => `// ${c}`));
  lines.push(`const response = await fetch(${stringLiteral(targetUrl(target.url, request))}, {`);
  lines.push(`  method: ${stringLiteral(request.method)},`);
  const headers = headersToRepeat(request);
  if (headers.length > 0) {
    lines.push('  headers: [');
    for (const [name, value] of headers) lines.push(`    [${stringLiteral(name)}, ${byteStringLiteral(value)}],`);
    lines.push('  ],');
  }
  if (!bodyless) {
    if (plan.kind === 'text') lines.push(`  body: ${stringLiteral(plan.text)},`);
    else if (plan.kind === 'base64') lines.push(`  body: Uint8Array.from(atob(${stringLiteral(plan.base64)}), (c) => c.charCodeAt(0)),`);
    else if (plan.kind === 'file') lines.push(`  body: await readFile(${stringLiteral(plan.fileName)}),`);
  }
  lines.push('});', 'console.log(response.status, await response.text());');
  return lines.join('\n');
}
