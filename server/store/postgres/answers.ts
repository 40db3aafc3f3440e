import type pg from 'pg';
import { AnswerIds } from '../answer-ids.ts';
import type { CapturedRequest } from '../store.ts';
import { beginInsert, inTransaction } from './transaction.ts';

/**
 * An insert referred to an answer that another instance deleted since this one kept its id (its
 * bin deleted, or no request using it any more): the insert is rolled back and made again.
 */
export class AnswerGone extends Error {
  constructor() {
    super('an answer the insert referred to was deleted meanwhile');
  }
}

/**
 * The answers table on PostgreSQL: each distinct answer a bin's captures recorded (a `RequestAnswer`
 * as JSON), stored once; requests refer to it by id. Every instance keeps the ids it used
 * (answer-ids.ts); the insert that refers to them also moves their `last_request` on, and finds out
 * so whether each row is still there (`AnswerGone`).
 */
export interface PostgresAnswers {
  /** Per request, the id of its answer (`texts`), created if need be with its bin, in the inserting transaction. */
  idsOf(client: pg.ClientBase, requests: CapturedRequest[], texts: (string | null)[]): Promise<(number | null)[]>;
  /** Drops the ids kept in memory, whose rows may be gone. */
  forget(): void;
}

export function postgresAnswers(): PostgresAnswers {
  const ids = new AnswerIds();
  return {
    async idsOf(client, requests, texts) {
      const found: (number | null)[] = [];
      for (let at = 0; at < requests.length; at++) {
        const { bin, receivedAt } = requests[at]!;
        const text = texts[at];
        if (!text) {
          found.push(null);
          continue;
        }
        let id = ids.get(bin, text);
        if (id === undefined) {
          // The bin first, for a capture that creates it: the insert's own statement would come too late for the reference.
          const { rows } = await client.query<{ id: string }>(
            `WITH bin AS (INSERT INTO bins (id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING)
             INSERT INTO answers (bin, digest, text, last_request) VALUES ($1, sha256(convert_to($3, 'UTF8')), $3, 0)
             ON CONFLICT (bin, digest) DO UPDATE SET last_request = answers.last_request
             RETURNING id`,
            [bin, receivedAt, text],
          );
          id = Number(rows[0]!.id);
          ids.set(bin, text, id);
        }
        found.push(id);
      }
      return found;
    },
    forget: () => ids.forget(),
  };
}

/** The request ids fit a bigint: an answer kept by a bin without requests is below it. */
const aboveAllRequests = '9223372036854775807';

/**
 * Deletes the answers of these bins that none of their requests uses any more: those whose newest
 * request is older than their bin's oldest. Under the insert lock, so that no insert in flight uses
 * them; an instance that kept the id of one finds it gone (`AnswerGone`). The requests' deletion is
 * done: a failure here is logged, and what it left is deleted with the bin's next deletion.
 */
export async function sweepAnswers(pool: pg.Pool, bins: string[]): Promise<void> {
  if (bins.length === 0) return;
  try {
    await inTransaction(
      pool,
      (client) =>
        client.query(
          `DELETE FROM answers WHERE bin = ANY($1::text[])
           AND last_request < coalesce((SELECT min(id) FROM requests WHERE requests.bin = answers.bin), ${aboveAllRequests})`,
          [bins],
        ),
      { begin: beginInsert },
    );
  } catch (error) {
    console.error(`authbin: the answers no request uses any more could not be deleted now: ${(error as Error).message}`);
  }
}
