/** Values compared by name: what headers and query parameters share. */
export type Change = 'added' | 'removed' | 'changed' | 'same';

export interface NamedDifference {
  /** The name as A spells it (as B does when only B has it). */
  name: string;
  change: Change;
  /** Every value A sends under this name, in order; duplicates kept. */
  a: string[];
  b: string[];
}

export interface Alignment {
  entries: NamedDifference[];
  /** Names spelt with another letter case on each side ("content-type" / "Content-Type"). */
  caseDifferences: { a: string; b: string }[];
  /** The names both sides send, in a different order. */
  reordered: boolean;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function group(pairs: readonly (readonly [string, string])[], key: (name: string) => string): Map<string, { name: string; values: string[] }> {
  const groups = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of pairs) {
    const k = key(name);
    const entry = groups.get(k);
    if (entry) entry.values.push(value);
    else groups.set(k, { name, values: [value] });
  }
  return groups;
}

/**
 * Lines up two lists of `[name, value]` pairs by name (`key` folds the name: lower case for
 * headers), A's order first and B's extra names after. Order and name case are reported apart.
 *
 * @example
 * alignPairs([['A', '1']], [['a', '2']], (n) => n.toLowerCase()).entries;
 * // [{ name: 'A', change: 'changed', a: ['1'], b: ['2'] }]
 */
export function alignPairs(a: readonly (readonly [string, string])[], b: readonly (readonly [string, string])[], key: (name: string) => string): Alignment {
  const left = group(a, key);
  const right = group(b, key);
  const entries: NamedDifference[] = [];
  const caseDifferences: Alignment['caseDifferences'] = [];
  for (const [k, l] of left) {
    const r = right.get(k);
    if (!r) {
      entries.push({ name: l.name, change: 'removed', a: l.values, b: [] });
      continue;
    }
    if (l.name !== r.name) caseDifferences.push({ a: l.name, b: r.name });
    entries.push({ name: l.name, change: sameValues(l.values, r.values) ? 'same' : 'changed', a: l.values, b: r.values });
  }
  for (const [k, r] of right) if (!left.has(k)) entries.push({ name: r.name, change: 'added', a: [], b: r.values });
  const shared = (names: Map<string, unknown>, other: Map<string, unknown>) => [...names.keys()].filter((k) => other.has(k));
  const order = shared(left, right);
  const reordered = shared(right, left).some((k, i) => k !== order[i]);
  return { entries, caseDifferences, reordered };
}
