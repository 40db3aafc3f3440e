/**
 * The LIKE pattern (with `ESCAPE '\'`) for ids holding `text`: `_`, which bin names may hold, and
 * `%` are wildcards to LIKE, so they are escaped. No text matches every id.
 */
export function idContainsPattern(text: string | undefined): string {
  return `%${(text ?? '').replace(/[\\%_]/g, '\\$&')}%`;
}

/** A bin's last activity, its last request or else its creation: the bin list shows the latest first, then by id. */
export const binActivity = 'coalesce(last_request_at, created_at)';
