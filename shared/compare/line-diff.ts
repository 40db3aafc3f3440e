import { diffArrays } from 'diff';
import type { DiffLine } from './types.ts';

// Past this many edits the search would cost a browser tab too much: the lines are then shown as all removed, then all added.
const maxEditLength = 2_000;

/**
 * A line diff of A into B: common lines kept, A's lines `removed`, B's `added` (jsdiff's Myers diff).
 *
 * @example
 * diffLines(['a', 'b'], ['a', 'c']); // [same a, removed b, added c]
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const changes = diffArrays([...a], [...b], { maxEditLength });
  if (!changes) return [...a.map((text): DiffLine => ({ op: 'removed', text })), ...b.map((text): DiffLine => ({ op: 'added', text }))];
  return changes.flatMap((change) => change.value.map((text): DiffLine => ({ op: change.added ? 'added' : change.removed ? 'removed' : 'same', text })));
}
