/**
 * Keyset paging of a bin's requests, newest first, the same on both engines: a page is read with
 * one row more than asked, which tells whether an older page exists, and the cursor to that page
 * (`next`, given back as `before`) is the id of the page's last request.
 */

/** Rows to read for a page of `limit`: the one more tells whether another page follows. */
export function rowsForPage(limit: number): number {
  return limit + 1;
}

/**
 * Where a page starts, as both engines bind it: below the request id `before`, or from the newest
 * request (undefined).
 *
 * @example pageStart('42') // 42n
 */
export function pageStart(before: string | undefined): bigint | undefined {
  return before === undefined ? undefined : BigInt(before);
}

/**
 * The page of at most `limit` items made from `rows` (read with `rowsForPage(limit)`), and its
 * cursor. Only the rows kept are converted.
 *
 * @example pageOf([{ id: '9' }, { id: '8' }, { id: '7' }], 2, (row) => row) // { requests: [{ id: '9' }, { id: '8' }], next: '8' }
 */
export function pageOf<Row, Item extends { id: string }>(rows: readonly Row[], limit: number, convert: (row: Row) => Item): { requests: Item[]; next: string | null } {
  // Pushed, not mapped: map() makes a holey array, which JSON.stringify serializes on its slow path.
  const requests: Item[] = [];
  for (let i = 0; i < rows.length && i < limit; i++) requests.push(convert(rows[i]!));
  return { requests, next: rows.length > limit ? (requests.at(-1)?.id ?? null) : null };
}
