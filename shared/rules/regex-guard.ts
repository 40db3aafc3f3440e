/**
 * Why a rule's regular expression cannot be used safely, or null. JavaScript's engine backtracks
 * without a time limit, so capture runs a rule's pattern either on short text with V8's linear-time
 * engine as its fallback, or on a worker thread stopped after a time limit
 * (server/rules/regex-time-limit.ts). Refused here, so that the UI and the server agree:
 * - what V8's linear-time engine cannot run — backreferences, lookahead and lookbehind, a count
 *   above 16 (`a{17}`, `(ab{4}){5}`) — since such a pattern would get no fallback;
 * - a quantified group that itself holds an unbounded quantifier (`(a+)+`, `(\w*)*`, `(a|b+){2,}`):
 *   the classic shape of catastrophic backtracking, refused with a clear message rather than cut short.
 *
 * @example
 * backtrackingRisk('^/api/v\\d+/'); // null
 * backtrackingRisk('(a+)+$'); // 'a repeated group holds a repeat ("(a+)+"), which can backtrack without end'
 * backtrackingRisk('(?=a)a'); // 'lookahead and lookbehind are not allowed in rules'
 */
export function backtrackingRisk(source: string): string | null {
  // For each open group: whether an unbounded quantifier appears inside it, where it starts, and the largest count it repeats anything by.
  const groups: { repeats: boolean; start: number; count: number }[] = [];
  const outermost = { repeats: false, start: 0, count: 1 };
  // What follows an atom ending at `end`: a count that, with those of the groups around it, must stay within V8's linear engine.
  const counted = (end: number, inner = 1): string | null => {
    const count = inner * countAt(source, end + 1);
    if (count > maxCount) return `a count above ${maxCount} ("${/^\{[\d,]*\}/.exec(source.slice(end + 1))?.[0] ?? ''}", counts of nested groups multiply) is not allowed in rules`;
    const around = groups.at(-1) ?? outermost;
    around.count = Math.max(around.count, count);
    return null;
  };
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    let problem: string | null = null;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'backreferences are not allowed in rules';
      i++;
      if (!inClass) problem = counted(i);
    } else if (inClass) {
      if (char === ']') {
        inClass = false;
        problem = counted(i);
      }
    } else if (char === '[') inClass = true;
    else if (char === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) return 'lookahead and lookbehind are not allowed in rules';
      groups.push({ repeats: false, start: i, count: 1 });
    } else if (char === ')') {
      const group = groups.pop();
      const quantifier = unboundedQuantifierAt(source, i + 1);
      if (group && quantifier && group.repeats) return `a repeated group holds a repeat ("${source.slice(group.start, i + 1 + quantifier)}"), which can backtrack without end`;
      if (group?.repeats || quantifier) markRepeat(groups);
      problem = counted(i, group?.count ?? 1);
    } else {
      if (unboundedQuantifierAt(source, i) > 0) markRepeat(groups);
      problem = counted(i);
    }
    if (problem) return problem;
  }
  return null;
}

/** The largest count V8's linear-time engine runs, counts of nested groups multiplied. */
const maxCount = 16;

function markRepeat(groups: { repeats: boolean }[]): void {
  const innermost = groups.at(-1);
  if (innermost) innermost.repeats = true;
}

/** How many times a `{n}`, `{n,}` or `{n,m}` at `at` repeats what it follows at most, counting `{n,}` as n; 1 for anything else. */
function countAt(source: string, at: number): number {
  if (source[at] !== '{') return 1;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (!braces) return 1;
  return Math.max(Number(braces[1]), braces[3] ? Number(braces[3]) : 0, 1);
}

/** The length of an unbounded or many-times quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) at `at`, or 0. */
function unboundedQuantifierAt(source: string, at: number): number {
  const char = source[at];
  if (char === '*' || char === '+') return 1;
  if (char !== '{') return 0;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (!braces) return 0;
  const many = braces[2] !== undefined && (braces[3] === '' || Number(braces[3]) > 1);
  return many ? braces[0].length : 0;
}

/** The most characters of a header, query value, path or body that a rule's regular expression is tested on. */
export const maxRegexSubjectLength = 64 * 1024;
