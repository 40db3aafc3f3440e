import type { Context } from 'hono';
import type { BinResponse } from '../../shared/api.ts';
import { binNameSyntax, isBinName } from '../../shared/http/bin-name.ts';
import { binHeaderProblem, binStatusRange, isBinStatus } from '../../shared/http/bin-response-rules.ts';
import { sessionCookie } from '../access.ts';
import { ApiFailure } from '../errors.ts';

/** Reads a JSON request body, or fails with a 400 that says what is wrong. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiFailure(400, 'invalid_json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function binId(value: string): string {
  if (!isBinName(value)) {
    throw new ApiFailure(400, 'invalid_bin_id', `a bin id is ${binNameSyntax}`);
  }
  return value;
}

/** Request ids and cursors are positive whole numbers. */
export function requestId(value: string, what = 'request id'): string {
  if (!/^[1-9]\d{0,17}$/.test(value)) throw new ApiFailure(400, 'invalid_id', `invalid ${what} "${value.slice(0, 40)}": expected a positive whole number`);
  return value;
}

const maxDelayMs = 30_000;

/** Validates a bin's response settings; null restores the default response. */
export function binResponse(value: unknown): BinResponse | null {
  if (value === null) return null;
  if (!isObject(value)) throw new ApiFailure(400, 'invalid_response', '"response" must be an object or null');
  const known = new Set(['status', 'headers', 'body', 'delayMs', 'allowScripts']);
  const unknown = Object.keys(value).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new ApiFailure(400, 'invalid_response', `unknown response field "${unknown[0]}": use status, headers, body, delayMs, allowScripts`);
  const response: BinResponse = {};
  if (value.status !== undefined) {
    if (!isBinStatus(value.status)) {
      throw new ApiFailure(400, 'invalid_response', `"status" must be a whole number from ${binStatusRange.min} to ${binStatusRange.max}`);
    }
    response.status = value.status;
  }
  if (value.headers !== undefined) {
    if (!isObject(value.headers)) throw new ApiFailure(400, 'invalid_response', '"headers" must be an object of header names to string values');
    for (const [name, headerValue] of Object.entries(value.headers)) {
      const problem = binHeaderProblem(name, headerValue, sessionCookie);
      if (problem !== null) throw new ApiFailure(400, 'invalid_response', problem);
    }
    response.headers = value.headers as Record<string, string>;
  }
  if (value.body !== undefined) {
    if (typeof value.body !== 'string') throw new ApiFailure(400, 'invalid_response', '"body" must be a string');
    response.body = value.body;
  }
  if (value.delayMs !== undefined) {
    if (!Number.isInteger(value.delayMs) || (value.delayMs as number) < 0 || (value.delayMs as number) > maxDelayMs) {
      throw new ApiFailure(400, 'invalid_response', `"delayMs" must be a whole number from 0 to ${maxDelayMs}`);
    }
    response.delayMs = value.delayMs as number;
  }
  if (value.allowScripts !== undefined) {
    if (typeof value.allowScripts !== 'boolean') throw new ApiFailure(400, 'invalid_response', '"allowScripts" must be true or false');
    response.allowScripts = value.allowScripts;
  }
  return response;
}

/** A bin's relay target: an http(s) URL, or null to stop relaying. */
export function forwardTarget(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ApiFailure(400, 'invalid_forward_to', '"forwardTo" must be an http:// or https:// URL, or null');
  }
  return value;
}
