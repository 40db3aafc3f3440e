/** "Copy as HTTPie": the `http` command (HTTPie 3 or later, for `--raw`). */
import { shellQuote } from './shell-quote.ts';
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

/** A header as an HTTPie request item: `Name:value`, or `Name;` for an empty value (`Name:` would unset it). */
function headerItem(name: string, value: string): string {
  if (value === '') return shellQuote(`${name};`);
  // A value starting with "=" or "@" would turn `:` into the `:=` / `:@` separators: escape it.
  return shellQuote(`${name}:${/^[=@]/.test(value) ? '\\' : ''}${value}`);
}

/**
 * An HTTPie command that sends the request again. Text bodies go with `--raw`, binary and large
 * ones from `request-<id>.bin` on standard input. HTTPie adds User-Agent, Accept, Accept-Encoding
 * and Connection when they are not given.
 *
 * @example
 * httpieCommand(detail, { url: 'http://localhost:3000/hook' })
 * // http --raw '{"a":1}' POST 'http://localhost:3000/hook' \
 * //   'Content-Type:application/json'
 */
export function httpieCommand(request: ExportableRequest, target: SnippetTarget): string {
  const plan = bodyPlan(request, { allowBase64: false });
  const comments = [truncationWarning(request)];
  if (plan.kind === 'file') comments.push(...downloadHint(request, plan, authbinOrigin(request, target.url, target.origin)));

  const first = ['http'];
  if (plan.kind === 'text') first.push('--raw', shellQuote(plan.text));
  first.push(/^[A-Za-z]+$/.test(request.method) ? request.method : shellQuote(request.method), shellQuote(targetUrl(target.url, request)));
  const lines = [first.join(' '), ...headersToRepeat(request).map(([name, value]) => headerItem(name, value))];
  let command = lines.join(' \\\n  ');
  if (plan.kind === 'file') command += ` \\\n  < ${plan.fileName}`;
  return [...comments.filter((c) => c !== undefined).map((c) => `# ${c}`), command].join('\n');
}
