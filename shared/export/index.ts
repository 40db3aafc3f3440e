/**
 * "Copy as": turns a stored request into code that sends it again — curl (byte for byte), fetch,
 * Python requests and HTTPie.
 */
import { curlCommand } from './curl.ts';
import { fetchSnippet } from './fetch.ts';
import { httpieCommand } from './httpie.ts';
import { pythonSnippet } from './python.ts';
import type { ExportableRequest, SnippetTarget } from './request-parts.ts';

export { curlCommand } from './curl.ts';
export { fetchSnippet } from './fetch.ts';
export { httpieCommand } from './httpie.ts';
export { pythonSnippet } from './python.ts';
export { shellQuote } from './shell-quote.ts';
export { headersToRepeat, isPerHopHeader, targetUrl, type ExportableRequest, type SnippetTarget } from './request-parts.ts';

/** One way to send a request again, as shown on its tab. */
export interface RequestSnippet {
  /** "curl", "fetch", "Python", "HTTPie". */
  label: string;
  /** For syntax colouring: "shell", "javascript", "python". */
  language: string;
  code: string;
}

/**
 * Every "copy as" form of a stored request, curl first.
 *
 * @example
 * // Send it to the bin again, or to one's own server:
 * requestSnippets(detail, { url: `${location.origin}/b/${detail.bin}` });
 * requestSnippets(detail, { url: 'http://localhost:3000/webhook', origin: location.origin });
 */
export function requestSnippets(detail: ExportableRequest, target: SnippetTarget): RequestSnippet[] {
  return [
    { label: 'curl', language: 'shell', code: curlCommand(detail, target) },
    { label: 'fetch', language: 'javascript', code: fetchSnippet(detail, target) },
    { label: 'Python', language: 'python', code: pythonSnippet(detail, target) },
    { label: 'HTTPie', language: 'shell', code: httpieCommand(detail, target) },
  ];
}
