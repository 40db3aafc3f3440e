/** "Copy as Python": the `requests` library. */
import { mergedHeaders, stringLiteral } from './literals.ts';
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
 * Python that sends the request again with `requests`. requests keeps one value per header name,
 * so repeated headers are joined with ", " (said in a comment), and it adds User-Agent,
 * Accept-Encoding, Accept and Connection when they are not given.
 *
 * @example
 * pythonSnippet(detail, { url: 'http://localhost:3000/hook' })
 * // import requests
 * //
 * // response = requests.request(
 * //     "POST",
 * //     "http://localhost:3000/hook",
 * //     headers={
 * //         "Content-Type": "application/json",
 * //     },
 * //     data="{\"a\":1}".encode("utf-8"),
 * // )
 * // print(response.status_code, response.text)
 */
export function pythonSnippet(request: ExportableRequest, target: SnippetTarget): string {
  const plan = bodyPlan(request, { allowBase64: true });
  const headers = mergedHeaders(headersToRepeat(request));
  const comments = [truncationWarning(request)];
  for (const { name, values } of headers) {
    if (values.length > 1) comments.push(`requests sends one ${name} header: its ${values.length} values are joined into one.`);
  }
  if (plan.kind === 'file') comments.push(...downloadHint(request, plan, authbinOrigin(request, target.url, target.origin)));

  const lines = [plan.kind === 'base64' ? 'import base64\nimport requests' : 'import requests', ''];
  lines.push(...comments.filter((c) => c !== undefined).map((c) => `# ${c}`));
  lines.push('response = requests.request(', `    ${stringLiteral(request.method)},`, `    ${stringLiteral(targetUrl(target.url, request))},`);
  if (headers.length > 0) {
    lines.push('    headers={');
    for (const { name, values } of headers) {
      // Cookie headers combine with "; " (RFC 6265 §5.4); all others with ", " (RFC 9110 §5.3).
      const value = values.join(name.toLowerCase() === 'cookie' ? '; ' : ', ');
      // requests would encode a str value as Latin-1; bytes go out as they are.
      const literal = /^[\x00-\x7f]*$/.test(value) ? stringLiteral(value) : `${stringLiteral(value)}.encode("utf-8")`;
      lines.push(`        ${stringLiteral(name)}: ${literal},`);
    }
    lines.push('    },');
  }
  // Text is encoded here: requests would send a str body as Latin-1.
  if (plan.kind === 'text') lines.push(`    data=${stringLiteral(plan.text)}.encode("utf-8"),`);
  else if (plan.kind === 'base64') lines.push(`    data=base64.b64decode(${stringLiteral(plan.base64)}),`);
  else if (plan.kind === 'file') lines.push(`    data=open(${stringLiteral(plan.fileName)}, "rb").read(),`);
  lines.push(')', 'print(response.status_code, response.text)');
  return lines.join('\n');
}
