export interface DiffLine {
  op: 'same' | 'added' | 'removed';
  text: string;
}

// Past this many cells the longest-common-subsequence table costs too much memory for a browser tab:
// the middle that differs is then shown as removed, then added.
const MAX_CELLS = 4_000_000;

/**
 * A line diff of A into B: common lines kept, A's lines `removed`, B's `added` (longest common
 * subsequence after trimming the common start and end).
 *
 * @example
 * diffLines(['a', 'b'], ['a', 'c']); // [same a, removed b, added c]
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: readonly string[]) => lines.map((text): DiffLine => ({ op: 'same', text }));
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  return [...same(a.slice(0, start)), ...diffMiddle(middleA, middleB), ...same(a.slice(endA))];
}

function diffMiddle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ op: 'removed', text });
  const added = (text: string): DiffLine => ({ op: 'added', text });
  if (a.length * b.length > MAX_CELLS || a.length === 0 || b.length === 0) return [...a.map(removed), ...b.map(added)];
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) out.push(removed(a[i++]!));
    else out.push(added(b[j++]!));
  }
  while (i < a.length) out.push(removed(a[i++]!));
  while (j < b.length) out.push(added(b[j++]!));
  return out;
}
