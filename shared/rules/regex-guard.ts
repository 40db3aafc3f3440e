/**
 * Why a rule's regular expression could stall capture by backtracking, or null. JavaScript's
 * engine backtracks without a time limit, so the shapes behind catastrophic backtracking are
 * refused before a rule is saved: a quantified group that itself holds an unbounded quantifier
 * (`(a+)+`, `(\w*)*`, `(a|b+){2,}`), and backreferences. What remains runs in polynomial time, on
 * a bounded part of the text (`maxRegexSubjectLength`); a pattern such as `a*a*b` is still slow on
 * long text, which only a time limit on matching would stop.
 *
 * @example
 * backtrackingRisk('^/api/v\\d+/'); // null
 * backtrackingRisk('(a+)+$'); // 'a repeated group holds a repeat ("(a+)+"), which can backtrack without end'
 */
export function backtrackingRisk(source: string): string | null {
  // For each open group: whether an unbounded quantifier appears inside it, and where it starts.
  const groups: { repeats: boolean; start: number }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'backreferences are not allowed in rules';
      i++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') groups.push({ repeats: false, start: i });
    else if (char === ')') {
      const group = groups.pop();
      const quantifier = unboundedQuantifierAt(source, i + 1);
      if (group && quantifier && group.repeats) return `a repeated group holds a repeat ("${source.slice(group.start, i + 1 + quantifier)}"), which can backtrack without end`;
      if (group?.repeats || quantifier) markRepeat(groups);
    } else if (unboundedQuantifierAt(source, i) > 0) markRepeat(groups);
  }
  return null;
}

function markRepeat(groups: { repeats: boolean }[]): void {
  const innermost = groups.at(-1);
  if (innermost) innermost.repeats = true;
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
