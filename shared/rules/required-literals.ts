/** An escape that stands for the character after the backslash. */
const escapedPunctuation = /[\\^$.|?*+()[\]{}/-]/;

/** What follows the letter of an escape that names a character, without the `u` flag. */
const escapeTail: Record<string, RegExp> = { x: /^[0-9a-fA-F]{2}/, u: /^[0-9a-fA-F]{4}/, c: /^[A-Za-z]/, '0': /^[0-7]{0,2}/ };

/** `{n}`, `{n,}` or `{n,m}` at the start of a text: its least count, or null when it is not a quantifier. */
function leastCount(text: string): { least: number; length: number } | null {
  const braces = /^\{(\d+)(?:,\d*)?\}/.exec(text);
  return braces ? { least: Number(braces[1]), length: braces[0].length } : null;
}

/** Where the group or class that opens at `at` closes (the index of its `)` or `]`), or -1. */
function closing(source: string, at: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = at; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) {
      if (char === ']') {
        inClass = false;
        if (source[at] === '[') return i;
      }
    } else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Texts that every match of a rule's pattern (no flags) contains: runs of plain characters outside
 * groups and classes that no quantifier makes optional. A text that lacks one cannot match, so
 * capture decides such a condition without running the pattern, however long its work would take.
 * None for a pattern with `|` outside groups. What it cannot read surely (an escape such as `\x41`,
 * a brace that is not a count) only ends a run: a text is never required that a match may lack.
 *
 * @example
 * requiredLiterals('"type":\\s*"zen:event-type:ticket\\.deleted"'); // ['"type":', '"zen:event-type:ticket.deleted"']
 * requiredLiterals('^curl/\\d+'); // ['curl/']
 * requiredLiterals('colou?r'); // ['colo', 'r']
 */
export function requiredLiterals(source: string): string[] {
  const literals: string[] = [];
  let run = '';
  // Whether the last atom is the last character of `run`, which a quantifier after it applies to.
  let lastInRun = false;
  const endRun = () => {
    if (run !== '') literals.push(run);
    run = '';
    lastInRun = false;
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    let plain: string | undefined;
    if (char === '\\') {
      const next = source[i + 1];
      i++;
      if (next !== undefined && escapedPunctuation.test(next)) plain = next;
      // The rest of an escape that names a character (\x41, \u0041, \cJ, \012) is no plain text.
      else i += (escapeTail[next ?? ''] ?? /^$/).exec(source.slice(i + 1))?.[0].length ?? 0;
    } else if (char === '|') {
      return [];
    } else if (char === '(' || char === '[') {
      const end = closing(source, i);
      if (end === -1) return [];
      endRun();
      i = end;
      continue;
    } else if (char === '*' || char === '?' || char === '+' || char === '{') {
      const count = char === '{' ? leastCount(source.slice(i)) : { least: char === '+' ? 1 : 0, length: 1 };
      if (count === null) {
        // A brace that is not a count is a plain "{" to the engine; taken as unknown, it only ends the run.
        endRun();
        continue;
      }
      // Made optional, the atom before is no longer required; required, it is required once.
      if (count.least === 0 && lastInRun) run = run.slice(0, -1);
      endRun();
      i += count.length - 1;
      // A lazy quantifier's "?".
      if (source[i + 1] === '?') i++;
      continue;
    }
    if (plain === undefined && char !== '\\' && !'.^$)]}'.includes(char)) plain = char;
    if (plain === undefined) {
      endRun();
      continue;
    }
    run += plain;
    lastInRun = true;
  }
  endRun();
  return literals;
}
