// How bins and requests sit in the SQLite file, and how they are read back.
import type { Bin, BinResponse, ForwardResult } from '../../../shared/api.ts';
import type { HeaderPair } from '../../../shared/auth/types.ts';
import type { StoredRequest } from '../store.ts';

export interface BinRow {
  id: string;
  created_at: number;
  response: string | null;
  request_count: number;
  last_request_at: number | null;
  forward_to: string | null;
}

export interface RequestRow {
  id: number | bigint;
  bin: string;
  received_at: number;
  method: string;
  path: string;
  query: string;
  http_version: string;
  remote_address: string | null;
  remote_port: number | null;
  headers: string;
  body: Buffer;
  body_size: number;
  truncated: number;
  forward: string | null;
}

/**
 * What a request list reads of a request: the columns it shows, and the summary the indexer stored,
 * if any. Read raw, as an array: better-sqlite3 builds those faster than objects with named keys.
 */
export type SummaryRow = [id: number | bigint, receivedAt: number, method: string, path: string, query: string, bodySize: number, summary: string | null];

export function toBin(row: BinRow): Bin {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    requestCount: row.request_count,
    lastRequestAt: row.last_request_at === null ? null : new Date(row.last_request_at).toISOString(),
    response: row.response ? (JSON.parse(row.response) as BinResponse) : null,
    forwardTo: row.forward_to,
  };
}

export function toStoredRequest(row: RequestRow): StoredRequest {
  return {
    id: String(row.id),
    bin: row.bin,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    query: row.query,
    httpVersion: row.http_version,
    remoteAddress: row.remote_address,
    remotePort: row.remote_port,
    headers: JSON.parse(row.headers) as HeaderPair[],
    body: row.body,
    bodySize: row.body_size,
    truncated: row.truncated === 1,
    forward: row.forward ? (JSON.parse(row.forward) as ForwardResult) : null,
  };
}
