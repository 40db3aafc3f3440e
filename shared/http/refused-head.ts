import type { HeaderPair } from '../auth/types.ts';
import { isToken } from './header-rules.ts';

/** What made a header line unacceptable to a strict HTTP/1.1 parser. */
export type HeadProblemKind = 'line-break' | 'bare-lf' | 'folded' | 'stray-cr' | 'nul' | 'control' | 'space-before-colon' | 'bad-name';

export interface HeadProblem {
  kind: HeadProblemKind;
  /** The header it is in, as named (spaces around the name left out). */
  header: string;
}

/** A request head read as best one can, for one the HTTP parser refused. */
export interface RefusedHead {
  method: string;
  /** The request target as sent, e.g. `/b/demo/hook?x=1`. */
  target: string;
  /** `1.1` from `HTTP/1.1`; empty when the request line has none. */
  httpVersion: string;
  /** Names and values as sent, one char per byte; a line that is not `Name: value` continues the value above, line break kept. */
  headers: HeaderPair[];
  /** The ways its header lines break HTTP/1.1, in the order they occur. */
  problems: HeadProblem[];
}

const requestLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d\.\d)\r?$/;
const blankLine = /^\r?$/;

/**
 * Where the request the parser refused starts in the chunk it was reading when it failed: an offset,
 * `'body'` when a blank line ended the head before the error (the parser refused a body, not a
 * head), `'earlier-read'` when the chunk does not hold the request line (the head arrived in
 * several reads), `'request-line'` when the parser refused the request line itself (its target then
 * names no bin one can trust).
 */
export type RefusedStart = number | 'body' | 'earlier-read' | 'request-line';

/**
 * Finds the request the parser refused in the chunk it was reading when it failed (text one char
 * per byte, `errorAt` the offset it stopped at): the last request line at or before the error, as a
 * keep-alive chunk may hold earlier requests.
 *
 * @example
 * refusedRequestStart('GET /b/a HTTP/1.1\r\n\r\nGET /b/b HTTP/1.1\r\nX : y\r\n\r\n', 40); // 21
 */
export function refusedRequestStart(chunk: string, errorAt: number): RefusedStart {
  for (let start = chunk.lastIndexOf('\n', errorAt - 1) + 1; ; start = chunk.lastIndexOf('\n', start - 2) + 1) {
    const end = chunk.indexOf('\n', start);
    const line = chunk.slice(start, end === -1 ? undefined : end);
    if (requestLine.test(line)) return end !== -1 && end < errorAt ? start : 'request-line';
    if (blankLine.test(line) && start < errorAt) return 'body';
    if (start === 0) return 'earlier-read';
  }
}

/**
 * Reads a request head that a strict parser refused, tolerating what it refused: header lines
 * ending in a bare LF, a value wrapped onto the next line (GNU `base64` wraps at 76 columns), a
 * folded line, a stray CR, NUL or other control character, a space before the colon. For a head
 * Node's parser accepts, the method, target, version and headers are the ones Node reads.
 *
 * @example
 * readRefusedHead('GET /b/demo HTTP/1.1\r\nAuthorization: Basic YWJj\nZGVm\r\n\r\n').headers;
 * // [['Authorization', 'Basic YWJj\nZGVm']] with problems [{ kind: 'line-break', header: 'Authorization' }]
 */
export function readRefusedHead(text: string): RefusedHead {
  const parts = text.split(/(\r?\n)/);
  const [method = '', target = '', httpVersion = ''] = requestLine.exec(parts[0]!)?.slice(1) ?? parts[0]!.split(' ');
  const head: RefusedHead = { method, target, httpVersion: httpVersion.replace(/^HTTP\//, ''), headers: [], problems: [] };
  const problem = (kind: HeadProblemKind, header: string) => head.problems.push({ kind, header });
  for (let i = 2; i < parts.length; i += 2) {
    const line = parts[i]!;
    const lineBreak = parts[i - 1]!;
    // A blank line ends the head; one that closes the text is the end of what arrived.
    if (line === '' || line === '\r') break;
    const previous = head.headers.at(-1);
    const colon = line.indexOf(':');
    const rawName = colon > 0 ? line.slice(0, colon) : '';
    const name = rawName.replace(/[ \t]+$/, '');
    const folded = /^[ \t]/.test(line);
    if (previous && (folded || name === '' || /[ \t]/.test(name))) {
      problem(folded ? 'folded' : 'line-break', previous[0]);
      previous[1] = `${previous[1]}${lineBreak}${line.replace(/[ \t]+$/, '')}`;
      valueProblems(line, previous[0], problem);
      continue;
    }
    if (name === '') continue;
    if (lineBreak === '\n') problem('bare-lf', name);
    if (name !== rawName) problem('space-before-colon', name);
    if (!isToken(name)) problem('bad-name', name);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    valueProblems(value, name, problem);
    head.headers.push([name, value]);
  }
  return head;
}

function valueProblems(value: string, header: string, problem: (kind: HeadProblemKind, header: string) => void): void {
  if (value.includes('\r')) problem('stray-cr', header);
  if (value.includes('\0')) problem('nul', header);
  if (/[\x01-\x08\x0a-\x0c\x0e-\x1f\x7f]/.test(value)) problem('control', header);
}
