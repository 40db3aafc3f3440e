import { analyzeAuthorization } from '../auth/analyze.ts';
import type { HeadProblem, RefusedHead } from './refused-head.ts';

/** Why the HTTP parser refused a request, as the API gives it. */
export interface Refusal {
  /** Node's parser error code, e.g. `HPE_CR_EXPECTED`. */
  code: string;
  explanation: string;
}

/**
 * Why the HTTP parser refused a request, in words for the developer who sent it: the first problem
 * found in its head, else what the parser's error code means. For a line break in Authorization the
 * fix is the analysis's own (`whitespace`), so the terminal and the UI give the same advice.
 *
 * @example
 * explainRefusal('HPE_CR_EXPECTED', readRefusedHead('GET /b/x HTTP/1.1\r\nAuthorization: Basic YWJj\nZGVm\r\n\r\n'));
 * // 'the Authorization header contains a line break. Send exactly "Scheme credentials": …'
 */
export function explainRefusal(code: string, head: RefusedHead): string {
  const [first] = head.problems;
  if (first) return explainProblem(first, head);
  return byCode[code] ?? `the request does not follow HTTP/1.1 syntax (${code})`;
}

function explainProblem({ kind, header }: HeadProblem, head: RefusedHead): string {
  switch (kind) {
    case 'line-break':
      return `the ${header} header contains a line break${lineBreakFix(header, head)}`;
    case 'bare-lf':
      return `the line of the ${header} header ends with a bare line feed (LF) where HTTP needs CR LF`;
    case 'folded':
      return `the ${header} header continues on a line that starts with a space or tab (obsolete line folding, which HTTP/1.1 refuses); send the value on one line`;
    case 'stray-cr':
      return `the ${header} header contains a carriage return (CR) that is not followed by a line feed`;
    case 'nul':
      return `the ${header} header contains a NUL byte`;
    case 'control':
      return `the ${header} header contains a control character`;
    case 'space-before-colon':
      return `the ${header} header has a space before its colon`;
    case 'bad-name':
      return `the header name "${header}" is not an HTTP token (letters, digits and !#$%&'*+.^_\`|~-, nothing else)`;
  }
}

/** The analysis's fix for a line break in Authorization; where base64 wrapped it, said so first. */
function lineBreakFix(header: string, head: RefusedHead): string {
  if (header.toLowerCase() !== 'authorization') return '; send the value on one line';
  const value = head.headers.find(([name]) => name === header)?.[1] ?? '';
  const whitespace = analyzeAuthorization(value).findings.find((f) => f.code === 'whitespace');
  const credentials = value.slice(value.indexOf(' ') + 1);
  const wrapped = credentials.indexOf('\n') === 76 ? ' where base64 wrapped it at 76 columns' : '';
  return `${wrapped}. ${whitespace?.fix ?? 'Send the value on one line.'}`;
}

const byCode: Record<string, string> = {
  HPE_INVALID_METHOD: 'the method is not an HTTP token',
  HPE_INVALID_URL: 'the request target holds a character a URL cannot (a space, a control character)',
  HPE_INVALID_VERSION: 'the request line does not end with HTTP/1.0 or HTTP/1.1 and CR LF',
  HPE_INVALID_HEADER_TOKEN: 'a header line holds a character HTTP does not allow there',
  HPE_CR_EXPECTED: 'a line ends without the carriage return (CR) HTTP needs before its line feed',
  HPE_LF_EXPECTED: 'a carriage return (CR) is not followed by a line feed',
};
