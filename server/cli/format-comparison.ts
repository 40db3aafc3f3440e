import type { CompareResult, DiffLine, MultipartValue, NamedDifference } from '../../shared/api.ts';
import { unreadBodiesNote } from '../../shared/compare/index.ts';

/** ANSI styles, or none: the caller decides (a terminal, and NO_COLOR unset). */
export interface Style {
  bold(text: string): string;
  removed(text: string): string;
  added(text: string): string;
  changed(text: string): string;
  faint(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export const colours: Style = { bold: sgr(1, 22), removed: sgr(31, 39), added: sgr(32, 39), changed: sgr(33, 39), faint: sgr(2, 22) };

const same = (text: string) => text;
export const plain: Style = { bold: same, removed: same, added: same, changed: same, faint: same };

/** Lines of context kept around each run of changed lines in a text body. */
const contextLines = 2;

function quoted(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function part(value: MultipartValue): string {
  if (value.filename === null && value.text !== null) return JSON.stringify(value.text);
  const facts = [
    value.filename === null ? 'binary value' : `file ${JSON.stringify(value.filename)}`,
    value.contentType,
    `${value.size} bytes`,
    value.sha256 === null ? null : `sha256 ${value.sha256}`,
  ];
  return facts.filter((f) => f !== null).join(', ');
}

function named<Value>(entries: NamedDifference<Value>[], show: (values: Value[]) => string, style: Style): string[] {
  return entries.flatMap((entry) => {
    const name = entry.name || '(no name)';
    if (entry.change === 'removed') return [style.removed(`- ${name}: ${show(entry.a)}`)];
    if (entry.change === 'added') return [style.added(`+ ${name}: ${show(entry.b)}`)];
    if (entry.change === 'changed') return [style.changed(`~ ${name}: ${show(entry.a)} → ${show(entry.b)}`)];
    return [];
  });
}

// Changed lines, with a little context, and "…" where unchanged lines are left out.
function textLines(lines: DiffLine[], style: Style): string[] {
  const near = lines.map((_, i) => lines.slice(Math.max(0, i - contextLines), i + contextLines + 1).some((l) => l.op !== 'same'));
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (!near[i]) {
      if (near[i - 1] ?? true) out.push(style.faint('  …'));
      return;
    }
    out.push(line.op === 'added' ? style.added(`+ ${line.text}`) : line.op === 'removed' ? style.removed(`- ${line.text}`) : `  ${line.text}`);
  });
  return out;
}

function bodyLines(result: CompareResult, style: Style): string[] {
  const body = result.body;
  if (body.kind === 'refused') return [unreadBodiesNote(body.refused)];
  if (body.sameBytes) return [];
  switch (body.kind) {
    case 'json':
      return body.same
        ? ['same JSON, other bytes']
        : body.changes.map((c) =>
            c.change === 'removed' ? style.removed(`- ${c.path}: ${c.a}`) : c.change === 'added' ? style.added(`+ ${c.path}: ${c.b}`) : style.changed(`~ ${c.path}: ${c.a} → ${c.b}`),
          );
    case 'form':
      return named(body.changes, quoted, style);
    case 'multipart':
      return body.same ? ['same fields and files, framed differently'] : named(body.changes, (values) => values.map(part).join('; '), style);
    case 'text':
      return textLines(body.changes, style);
    case 'bytes': {
      const first = body.changes[0];
      return [
        `${body.sizes[0]} and ${body.sizes[1]} bytes${first ? `, first differing at byte ${first.offset + 1}:` : ''}`,
        ...(first ? [style.removed(`- ${first.a || '(ends)'}`), style.added(`+ ${first.b || '(ends)'}`)] : []),
      ];
    }
  }
}

function section(title: string, lines: string[], style: Style): string[] {
  return lines.length === 0 ? [] : ['', style.bold(title), ...lines.map((line) => `  ${line}`)];
}

/**
 * The comparison as `authbin diff` prints it: the two requests, the sentence that matters, then each part
 * that differs (A's side in red with "-", B's in green with "+", changed values in yellow with "~").
 */
export function formatComparison(result: CompareResult, strict: boolean, style: Style): string {
  const [headline, ...rest] = result.summary;
  const request = (side: 'a' | 'b') => {
    const { id, bin, receivedAt } = result.requests[side];
    const path = result.path[side] === '/' ? '' : result.path[side];
    const refused = result.refusal[side] ? `  ${style.changed(`refused by the HTTP parser (${result.refusal[side].code})`)}` : '';
    return `${side.toUpperCase()}  #${id}  ${result.method[side]} /b/${bin}${path}  ${style.faint(receivedAt)}${refused}`;
  };
  const authorization = result.authorization;
  const findings = (side: 'A' | 'B', list: typeof authorization.onlyInA) => list.map((f) => `only ${side}: ${f.severity} ${f.code}: ${f.message}`);
  const lines = [
    request('a'),
    request('b'),
    '',
    result.same ? style.added('No differences.') : style.bold(headline ?? 'The requests differ only in header name case or order.'),
    ...rest.map((sentence) => `· ${sentence}`),
    ...section(
      'Authorization',
      authorization.same
        ? []
        : [
            ...(authorization.firstDifference === null ? [] : [`the secrets first differ at character ${authorization.firstDifference}`]),
            ...findings('A', authorization.onlyInA),
            ...findings('B', authorization.onlyInB),
          ],
      style,
    ),
    ...section('Signatures', result.signatures.summary, style),
    ...section(
      'Method and path',
      [
        ...(result.method.same ? [] : [style.changed(`~ method: ${result.method.a} → ${result.method.b}`)]),
        ...(result.path.same ? [] : [style.changed(`~ path: ${result.path.a} → ${result.path.b}`)]),
      ],
      style,
    ),
    ...section('Query parameters', named(result.query, quoted, style), style),
    ...section('Headers', [...named(result.headers, quoted, style), ...result.headerNotes.map((note) => (strict ? note : style.faint(`${note} (not counted without --strict)`)))], style),
    ...section(`Body (${result.body.kind})`, bodyLines(result, style), style),
  ];
  return `${lines.join('\n')}\n`;
}
