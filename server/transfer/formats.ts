import { STATUS_CODES } from 'node:http';
import type { HeaderPair } from '../../shared/auth/types.ts';
import { isToken } from '../../shared/http/header-rules.ts';
import type { RequestAnswer } from '../../shared/rules/types.ts';
import { answerOf } from '../rules/answer-of.ts';
import type { CapturedRequest, StoredRequest } from '../store/store.ts';
import { bodyText, displayHeaders, refusalOf } from '../request-views.ts';
import { base64Body, type Base64Body, type ImportedBody } from './base64-body.ts';

/**
 * One line of an NDJSON export: everything needed to store the request again byte for byte.
 * `rawHeaders` keep the header bytes as sent, one char per byte.
 */
export interface ExportRecord {
  authbin: 1;
  id: string;
  bin: string;
  receivedAt: string;
  method: string;
  path: string;
  query: string;
  httpVersion: string;
  remoteAddress: string | null;
  remotePort: number | null;
  rawHeaders: HeaderPair[];
  body: string;
  bodySize: number;
  truncated: boolean;
  /** Only on a request the HTTP parser refused: its error code (the body is then the bytes that arrived). */
  parserError?: string;
  /** How the sender was answered when it was captured; left out when that is not known. */
  answer?: RequestAnswer;
}

export function toExportRecord(request: StoredRequest): ExportRecord {
  return {
    authbin: 1,
    id: request.id,
    bin: request.bin,
    receivedAt: new Date(request.receivedAt).toISOString(),
    method: request.method,
    path: request.path,
    query: request.query,
    httpVersion: request.httpVersion,
    remoteAddress: request.remoteAddress,
    remotePort: request.remotePort,
    rawHeaders: request.headers,
    body: Buffer.from(request.body).toString('base64'),
    bodySize: request.bodySize,
    truncated: request.truncated,
    ...(request.parserError && { parserError: request.parserError }),
    ...knownAnswer(request),
  };
}

function knownAnswer(request: StoredRequest): { answer?: RequestAnswer } {
  const answer = answerOf(request);
  return answer.status === null ? {} : { answer };
}

/** What an imported request without its answer (a HAR from elsewhere, an older export) says: this authbin did not answer it. */
export const importedWithoutAnswer = JSON.stringify({ status: null, rule: null, reasons: ['imported: answer not recorded'] } satisfies RequestAnswer);

/**
 * A HAR 1.2 entry; `_authbin` (HAR's custom-field form) carries the exact bytes for re-import. A
 * request the HTTP parser refused has no body: its head as received goes only into `_authbin` (with
 * `parserError`, which an import restores), and a `comment` says why it was refused; its headers are
 * the ones read from that head.
 */
export function toHarEntry(request: StoredRequest, origin: string) {
  const headers = displayHeaders(request);
  const refusal = request.parserError ? refusalOf(request.parserError, request.body) : null;
  const text = bodyText(request.body);
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const url = `${origin}/b/${request.bin}${request.path === '/' ? '' : request.path}${request.query ? `?${request.query}` : ''}`;
  const { body, ...record } = toExportRecord(request);
  return {
    startedDateTime: record.receivedAt,
    time: 0,
    request: {
      method: request.method,
      url,
      httpVersion: `HTTP/${request.httpVersion}`,
      cookies: [],
      headers: headers.map(([name, value]) => ({ name, value })),
      queryString: queryPairs(request.query),
      ...(request.body.byteLength > 0 &&
        !refusal && {
          postData: text !== undefined ? { mimeType: contentType, text } : { mimeType: contentType, text: body, encoding: 'base64' },
        }),
      headersSize: -1,
      // A refused request's body was never read: HAR's -1, not known.
      bodySize: refusal ? -1 : request.bodySize,
      ...(refusal && { comment: `refused by the HTTP parser (${refusal.code}): ${refusal.explanation}` }),
    },
    response: harResponse(answerOf(request), request.httpVersion),
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _authbin: { ...record, bodyBase64: body },
  };
}

/**
 * How the sender was answered, as recorded with the request: its status, and in `comment` who answered
 * and why. authbin records no answer's headers or body: HAR's empty ones and -1 sizes stand for them. A
 * request whose answer was not recorded (stored by an older authbin, imported without it) has status 0,
 * as browsers write for a request that got no response, and its comment says so.
 */
function harResponse(answer: RequestAnswer, httpVersion: string) {
  const by = answer.rule ? `by rule "${answer.rule.name ?? answer.rule.id}"` : answer.own ? 'by authbin itself' : "with the bin's response";
  const reasons = answer.reasons.join('; ');
  return {
    status: answer.status ?? 0,
    statusText: answer.status === null ? '' : (STATUS_CODES[answer.status] ?? ''),
    httpVersion: `HTTP/${httpVersion}`,
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: '' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    comment: answer.status === null ? reasons : `answered ${by}${reasons ? `: ${reasons}` : ''}`,
  };
}

function queryPairs(query: string): { name: string; value: string }[] {
  if (!query) return [];
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const [name, value] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return { name: safeDecode(name), value: safeDecode(value) };
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export class ImportError extends Error {}

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks one NDJSON record (or a HAR entry's `_authbin`) and turns it into a request for `bin`,
 * its body capped at `cap` bytes. `bodies` holds the base64 strings read aside from the record
 * (its `body` and `bodyBase64` are then "").
 */
export function fromExportRecord(value: unknown, bin: string, where: string, cap: number, bodies?: Map<string, Base64Body>): CapturedRequest {
  const fail = (what: string): never => {
    throw new ImportError(`${where}: ${what}`);
  };
  if (!isObject(value)) return fail('expected an object');
  const receivedAt = isString(value.receivedAt) ? Date.parse(value.receivedAt) : NaN;
  if (!Number.isFinite(receivedAt)) fail('"receivedAt" must be an ISO 8601 time');
  for (const field of ['method', 'path', 'query', 'httpVersion'] as const) if (!isString(value[field])) fail(`"${field}" must be a string`);
  if (!isToken(value.method as string)) fail('"method" is not an HTTP method');
  if (!(value.path as string).startsWith('/')) fail('"path" must start with /');
  const rawHeaders = value.rawHeaders;
  if (!Array.isArray(rawHeaders) || !rawHeaders.every((p) => Array.isArray(p) && p.length === 2 && isString(p[0]) && isString(p[1]))) {
    fail('"rawHeaders" must be a list of [name, value] pairs');
  }
  if ((rawHeaders as HeaderPair[]).some(([n, v]) => /[^\x00-\xff]/.test(n + v))) fail('"rawHeaders" must hold one char per byte (latin1)');
  const field = isString(value.body) ? 'body' : isString(value.bodyBase64) ? 'bodyBase64' : fail('"body" must be base64');
  const aside = value[field] === '' ? bodies?.get(field) : undefined;
  const body = (aside ? aside.end() : base64Body(value[field] as string, cap)) ?? fail('"body" is not valid base64');
  // A size the file states is believed only for a body it marks truncated, and never below the bytes it holds.
  const stated = value.truncated === true && Number.isSafeInteger(value.bodySize) ? (value.bodySize as number) : 0;
  return {
    bin,
    receivedAt,
    method: value.method as string,
    path: value.path as string,
    query: value.query as string,
    httpVersion: value.httpVersion as string,
    remoteAddress: isString(value.remoteAddress) ? value.remoteAddress : null,
    remotePort: Number.isInteger(value.remotePort) ? (value.remotePort as number) : null,
    headers: rawHeaders as HeaderPair[],
    ...cappedBody(body, cap, stated),
    truncated: value.truncated === true || body.length > cap,
    parserError: value.parserError === undefined ? null : parserErrorOf(value.parserError, fail),
    storedAnswer: value.answer === undefined ? importedWithoutAnswer : JSON.stringify(recordedAnswerOf(value.answer, fail)),
  };
}

/** An exported answer, checked field by field and rebuilt from them, so nothing else in the file is stored with it. */
function recordedAnswerOf(value: unknown, fail: (what: string) => never): RequestAnswer {
  const bad = (): never => fail('"answer" must be { status, rule: { id, name } | null, reasons: string[] } as an export writes it');
  if (!isObject(value) || !Number.isInteger(value.status) || (value.status as number) < 100 || (value.status as number) > 599) return bad();
  const rule = value.rule;
  if (rule !== null && !(isObject(rule) && isString(rule.id) && (rule.name === null || isString(rule.name)))) return bad();
  if (!Array.isArray(value.reasons) || !value.reasons.every(isString)) return bad();
  return {
    status: value.status as number,
    rule: rule === null ? null : { id: rule.id as string, name: rule.name as string | null },
    reasons: value.reasons as string[],
    ...(value.own === true && { own: true as const }),
  };
}

/** A parser error code as Node names them (`HPE_CR_EXPECTED`). */
function parserErrorOf(value: unknown, fail: (what: string) => never): string {
  return isString(value) && /^[A-Z][A-Z0-9_]{0,63}$/.test(value) ? value : fail('"parserError" must be a parser error code such as HPE_CR_EXPECTED');
}

/** The stored part of an imported body and its size, as a capture past the cap stores them. */
function cappedBody({ bytes, length }: ImportedBody, cap: number, statedSize = 0): { body: Buffer; bodySize: number } {
  // A copy when cut, so the whole body's memory can go before the import is stored.
  return { body: bytes.length > cap ? Buffer.from(bytes.subarray(0, cap)) : bytes, bodySize: Math.max(length, statedSize) };
}

/**
 * A HAR entry as a request for `bin`: exact when authbin wrote it (`_authbin`), otherwise built
 * from the HAR fields, so a HAR saved from a browser's developer tools can be brought in too.
 */
export function fromHarEntry(entry: unknown, bin: string, where: string, cap: number): CapturedRequest {
  const fail = (what: string): never => {
    throw new ImportError(`${where}: ${what}`);
  };
  if (!isObject(entry)) return fail('expected an object');
  if (entry._authbin !== undefined) return fromExportRecord(entry._authbin, bin, where, cap);
  const request = isObject(entry.request) ? entry.request : fail('"request" is missing');
  if (!isString(request.method) || !isToken(request.method)) fail('"request.method" is not an HTTP method');
  let url: URL;
  try {
    url = new URL(isString(request.url) ? request.url : '');
  } catch {
    return fail('"request.url" is not a URL');
  }
  const headers = Array.isArray(request.headers) ? request.headers : fail('"request.headers" must be a list');
  const pairs = headers.map((h: unknown): HeaderPair => {
    if (!isObject(h) || !isString(h.name) || !isString(h.value)) return fail('each header needs a string "name" and "value"');
    return [Buffer.from(h.name).toString('latin1'), Buffer.from(h.value).toString('latin1')];
  });
  const postData = isObject(request.postData) ? request.postData : undefined;
  const text = postData && isString(postData.text) ? postData.text : '';
  const bytes = postData?.encoding === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text);
  const started = isString(entry.startedDateTime) ? Date.parse(entry.startedDateTime) : NaN;
  return {
    bin,
    receivedAt: Number.isFinite(started) ? started : Date.now(),
    method: request.method as string,
    path: url.pathname,
    query: url.search.slice(1),
    httpVersion: isString(request.httpVersion) ? request.httpVersion.replace(/^HTTP\//i, '') : '1.1',
    remoteAddress: null,
    remotePort: null,
    headers: pairs,
    ...cappedBody({ bytes, length: bytes.length }, cap),
    truncated: bytes.length > cap,
    storedAnswer: importedWithoutAnswer,
  };
}
