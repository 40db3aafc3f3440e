/**
 * Whether a path matches a glob where `*` stands for any run of characters, `/` included, and the
 * rest is literal. Matched without a regular expression: `*a*a*a*b` as a pattern would backtrack in
 * polynomial time on a long path, while this walk keeps only the last star it can widen, so it takes
 * at most the path's length times the glob's.
 *
 * @example
 * globMatches('/api/v2/*', '/api/v2/tickets.json'); // true
 * globMatches('/api/*.json', '/api/v2/tickets.xml'); // false
 */
export function globMatches(glob: string, path: string): boolean {
  let g = 0;
  let p = 0;
  // Where the last star was, and where in the path what it covers ends so far.
  let star = -1;
  let covered = 0;
  while (p < path.length) {
    if (g < glob.length && glob[g] === '*') {
      star = g++;
      covered = p;
    } else if (g < glob.length && glob[g] === path[p]) {
      g++;
      p++;
    } else if (star >= 0) {
      g = star + 1;
      p = ++covered;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
