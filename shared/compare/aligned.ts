import type { NamedDifference } from './types.ts';

export interface Alignment<Value> {
  entries: NamedDifference<Value>[];
  /** Names spelt with another letter case on each side ("content-type" / "Content-Type"). */
  caseDifferences: { a: string; b: string }[];
  /** The names both sides send, in a different order. */
  reordered: boolean;
}

function group<Value>(pairs: readonly (readonly [string, Value])[], key: (name: string) => string): Map<string, { name: string; values: Value[] }> {
  const groups = new Map<string, { name: string; values: Value[] }>();
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
 * Values are compared with `equal` (`===` unless given), occurrence by occurrence.
 *
 * @example
 * alignPairs([['A', '1']], [['a', '2']], (n) => n.toLowerCase()).entries;
 * // [{ name: 'A', change: 'changed', a: ['1'], b: ['2'] }]
 */
export function alignPairs<Value = string>(
  a: readonly (readonly [string, Value])[],
  b: readonly (readonly [string, Value])[],
  key: (name: string) => string,
  equal: (x: Value, y: Value) => boolean = (x, y) => x === y,
): Alignment<Value> {
  const left = group(a, key);
  const right = group(b, key);
  const entries: NamedDifference<Value>[] = [];
  const caseDifferences: Alignment<Value>['caseDifferences'] = [];
  const sameValues = (x: Value[], y: Value[]) => x.length === y.length && x.every((value, i) => equal(value, y[i]!));
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
