import type pg from 'pg';
import type { BinResponse } from '../../../shared/api.ts';
import { insertedRequestColumns } from '../columns.ts';
import type { InsertedRequests, RequestWriter } from '../engine.ts';
import { claimRules, limitedRules, type BatchClaims } from '../rule-claims.ts';
import { storedWithId, type CapturedRequest, type StoredRequest } from '../store.ts';
import { AnswerGone, postgresAnswers, type PostgresAnswers } from './answers.ts';
import type { LiveFeed } from './live-feed.ts';
import { storableText } from './rows.ts';
import { searchVector } from './search-terms.ts';
import { beginInsert, inTransaction } from './transaction.ts';

/** Rows per INSERT statement: 16 parameters each, well under PostgreSQL's 65,535. */
const maxRowsPerStatement = 512;

/**
 * Inserting requests: in one transaction, a statement per `maxRowsPerStatement`. Captures (`live`)
 * are announced to every instance through `feed` as the transaction commits; imports are not.
 */
export function postgresRequestWriter(pool: pg.Pool, feed: LiveFeed): RequestWriter<RowToInsert> {
  const answers = postgresAnswers();
  return {
    maxBatch: maxRowsPerStatement,
    // The search vector is made as a capture arrives, so a batch is ready when its turn comes.
    prepare: (request) => ({ request, vector: searchVector(request) }),
    insert: (rows, { live }) => insertBatch(pool, answers, rows, live ? feed : undefined),
  };
}

/** Inserts the batch; once more should an answer it referred to be gone, with the answers' ids looked up again. */
async function insertBatch(pool: pg.Pool, answers: PostgresAnswers, rows: RowToInsert[], feed: LiveFeed | undefined): Promise<InsertedRequests> {
  try {
    return await insertOnce(pool, answers, rows, feed);
  } catch (error) {
    // The ids it looked up went with its rollback.
    answers.forget();
    if (!(error instanceof AnswerGone)) throw error;
  }
  try {
    return await insertOnce(pool, answers, rows, feed);
  } catch (error) {
    answers.forget();
    throw error;
  }
}

async function insertOnce(pool: pg.Pool, answers: PostgresAnswers, rows: RowToInsert[], feed: LiveFeed | undefined): Promise<InsertedRequests> {
  let announced: StoredRequest[] | undefined;
  const commit = (batch: InsertedRequests) => {
    if (!feed || batch.stored.length === 0) return 'COMMIT';
    announced = batch.stored;
    return `${feed.announce(batch.stored)}; COMMIT`;
  };
  const insertAll = async (client: pg.PoolClient) => {
    const batch: InsertedRequests = { stored: [], bins: new Map() };
    for (let i = 0; i < rows.length; i += maxRowsPerStatement) {
      const part = await insertRows(client, answers, rows.slice(i, i + maxRowsPerStatement));
      batch.stored.push(...part.stored);
      for (const [bin, counted] of part.bins) batch.bins.set(bin, counted);
    }
    return batch;
  };
  try {
    return await inTransaction(pool, insertAll, { begin: beginInsert, commit });
  } catch (error) {
    if (announced) feed!.forget(announced);
    throw error;
  }
}

/** A request ready to insert, with its search vector. */
export interface RowToInsert {
  request: CapturedRequest;
  vector: string;
}

/**
 * Which rules answer the requests (rule-claims.ts). The rows of the rules with `times` they may
 * claim stay locked until the transaction commits, so that captures on other instances wait for
 * these counts; their bins are locked first, as deleting a bin locks it before its rules.
 */
async function claimsOf(client: pg.ClientBase, requests: CapturedRequest[]): Promise<BatchClaims> {
  const limited = limitedRules(requests);
  if (limited.length === 0) return claimRules(requests, []);
  const bins = [...new Set(limited.map(({ bin }) => bin))];
  await client.query('SELECT FROM bins WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE', [bins]);
  const { rows } = await client.query<{ bin: string; id: string; answers_left: number }>(
    `SELECT bin, id, times - answered AS answers_left FROM bin_rules
     WHERE (bin, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY bin, id FOR UPDATE`,
    [limited.map(({ bin }) => bin), limited.map(({ ruleId }) => ruleId)],
  );
  return claimRules(requests, rows.map(({ bin, id, answers_left }) => ({ bin, ruleId: id, left: answers_left })));
}

/**
 * Inserts up to `maxRowsPerStatement` requests and counts them into their bins (creating the bins
 * that do not exist yet), into the rules that answer them and into the answers they refer to
 * (answers.ts), in one statement, inside a transaction begun by `beginInsert`.
 */
async function insertRows(client: pg.ClientBase, answers: PostgresAnswers, toInsert: RowToInsert[]): Promise<InsertedRequests> {
  const requests = toInsert.map((row) => row.request);
  const claims = await claimsOf(client, requests);
  // Per bin: its first request's time (a new bin's creation time), how many, the newest time.
  const perBin = new Map<string, { first: number; count: number; last: number }>();
  for (const r of requests) {
    const counter = perBin.get(r.bin) ?? { first: r.receivedAt, count: 0, last: 0 };
    counter.count++;
    counter.last = Math.max(counter.last, r.receivedAt);
    perBin.set(r.bin, counter);
  }
  // Bins in id order: transactions that lock several bins then always lock them in the same order.
  const bins = [...perBin.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const answerIds = await answers.idsOf(client, requests, claims.answers);
  const params: unknown[] = [bins, bins.map((b) => perBin.get(b)!.first), bins.map((b) => perBin.get(b)!.count), bins.map((b) => perBin.get(b)!.last)];
  const rows = toInsert.map(({ request: r, vector }, at) => {
    const text = storableText(r);
    const values = [
      r.bin,
      r.receivedAt,
      r.method,
      text.path,
      text.query,
      text.httpVersion,
      text.remoteAddress,
      r.remotePort,
      JSON.stringify(text.headers),
      Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength),
      r.bodySize,
      r.truncated,
      r.parserError ?? null,
      answerIds[at],
      text.exactFields,
      vector,
    ];
    const placeholders = values.map((_, i) => `$${params.length + i + 1}`);
    params.push(...values);
    // answer_recorded, a constant: after answer_id, before exact_fields and search.
    placeholders.splice(14, 0, 'true');
    return `(${placeholders.join(', ')})`;
  });
  // Only a batch that refers to answers moves them on, and counts them to find out whether each is still there.
  const usedAnswers = new Set(answerIds.filter((id) => id !== null)).size;
  const useAnswers = usedAnswers === 0 ? '' : `, used_answers AS (
       UPDATE answers SET last_request = greatest(answers.last_request, u.last)
       FROM (SELECT answer_id, max(id) AS last FROM inserted WHERE answer_id IS NOT NULL GROUP BY answer_id) AS u
       WHERE answers.id = u.answer_id
       RETURNING answers.id
     )`;
  let countRules = '';
  if (claims.counted.length > 0) {
    const { counted } = claims;
    params.push(counted.map(({ bin }) => bin), counted.map(({ ruleId }) => ruleId), counted.map(({ count }) => count));
    const at = params.length - 2;
    countRules = `, counted_rules AS (
       UPDATE bin_rules SET answered = bin_rules.answered + c.count
       FROM unnest($${at}::text[], $${at + 1}::text[], $${at + 2}::integer[]) AS c(bin, id, count)
       WHERE bin_rules.bin = c.bin AND bin_rules.id = c.id
     )`;
  }
  const { rows: [result] } = await client.query<{ ids: string[]; bins: [string, number, string | null, string | null][]; answers_found?: number }>(
    `WITH counted AS (
       INSERT INTO bins (id, created_at, request_count, last_request_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::bigint[])
       ON CONFLICT (id) DO UPDATE SET
         request_count = bins.request_count + excluded.request_count,
         last_request_at = greatest(coalesce(bins.last_request_at, 0), excluded.last_request_at)
       RETURNING id, request_count, response, forward_to
     ), inserted AS (
       INSERT INTO requests (${insertedRequestColumns}, exact_fields, search)
       VALUES ${rows.join(',\n')}
       RETURNING id, answer_id
     )${useAnswers}${countRules}
     SELECT (SELECT array_agg(id ORDER BY id) FROM inserted) AS ids,
            (SELECT json_agg(json_build_array(id, request_count, response, forward_to)) FROM counted) AS bins${usedAnswers === 0 ? '' : `,
            (SELECT count(*)::integer FROM used_answers) AS answers_found`}`,
    params,
  );
  if (usedAnswers > 0 && result!.answers_found !== usedAnswers) throw new AnswerGone();
  // Identity values are drawn row by row in the order of VALUES: the sorted ids line up with `requests`.
  const stored = requests.map((r, i) => storedWithId(r, String(result!.ids[i]), claims.answeredBy[i]));
  const counted: InsertedRequests['bins'] = new Map();
  for (const [id, requestCount, response, forwardTo] of result!.bins) {
    counted.set(id, { requestCount, settings: { response: response ? (JSON.parse(response) as BinResponse) : null, forwardTo } });
  }
  return { stored, bins: counted };
}
