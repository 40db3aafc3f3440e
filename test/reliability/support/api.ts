import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Bin, RequestDetail, RequestPage } from '../../../shared/api.ts';

/** GETs a JSON API route and fails loudly unless it answers 200. */
export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as T;
}

export function requestDetail(base: string, id: string): Promise<RequestDetail> {
  return getJson<RequestDetail>(`${base}/api/requests/${id}`);
}

/** The stored request count of a bin, or 0 when the bin does not exist. */
export async function binCount(base: string, bin: string): Promise<number> {
  const response = await fetch(`${base}/api/bins/${bin}`);
  if (response.status === 404) return 0;
  if (response.status !== 200) throw new Error(`GET /api/bins/${bin} answered ${response.status}`);
  return ((await response.json()) as Bin).requestCount;
}

/** Every request id stored in a bin, newest first, following the keyset cursor page by page. */
export async function allRequestIds(base: string, bin: string): Promise<string[]> {
  const ids: string[] = [];
  let before: string | null = null;
  do {
    const page: RequestPage = await getJson<RequestPage>(`${base}/api/bins/${bin}/requests?limit=500${before ? `&before=${before}` : ''}`);
    ids.push(...page.requests.map((r) => r.id));
    before = page.next;
  } while (before);
  return ids;
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping the order of results. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Resident memory of a process, in bytes (Linux). */
export function rssBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Prints one figure line for the README's Reliability section. */
export function report(line: string): void {
  console.log(`[reliability] ${line}`);
}

/** The lines the server logged about failures it did not expect (a client's bad input must not be one). */
export function internalErrors(output: string): string[] {
  return output.split('\n').filter((line) => line.includes('internal error'));
}

export interface PlainResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a connection of its own (never a reused keep-alive one), so that what one request does to its connection cannot fail the next. */
export function sendAlone(url: string, method: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
