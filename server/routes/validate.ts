import type { Context } from 'hono';
import type { BinResponse } from '../../shared/api.ts';
import { binNameSyntax, isBinName } from '../../shared/http/bin-name.ts';
import { readBinResponse } from '../../shared/http/bin-response-rules.ts';
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

/** Validates a bin's response settings (see `readBinResponse`); null restores the default response. */
export function binResponse(value: unknown): BinResponse | null {
  if (value === null) return null;
  const read = readBinResponse(value, sessionCookie);
  if ('problem' in read) throw new ApiFailure(400, 'invalid_response', read.problem);
  return read.response;
}

/** A bin's relay target: an http(s) URL, or null to stop relaying. */
export function forwardTarget(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ApiFailure(400, 'invalid_forward_to', '"forwardTo" must be an http:// or https:// URL, or null');
  }
  return value;
}
