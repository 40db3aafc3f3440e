import type { BinResponse } from '../../shared/api.ts';
import { binStatusRange, isBinStatus, maxBinDelayMs, readBinResponse } from '../../shared/http/bin-response-rules.ts';
import { readHeaderLine } from '../../shared/http/header-rules.ts';

/** The bin response form's fields, as typed (and ticked). */
export interface ResponseFields {
  status: string;
  contentType: string;
  body: string;
  delayMs: string;
  /** Extra headers, one "Name: value" a line. */
  headers: string;
  allowScripts: boolean;
}

export type ResponseTextField = Exclude<keyof ResponseFields, 'allowScripts'>;

export const DEFAULT_FIELDS: ResponseFields = { status: '200', contentType: 'application/json', body: '', delayMs: '0', headers: '', allowScripts: false };

/** The form's fields for a bin's current response (or the defaults). */
export function fieldsFromResponse(response: BinResponse | null): ResponseFields {
  if (!response) return DEFAULT_FIELDS;
  const headers = Object.entries(response.headers ?? {});
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type');
  return {
    status: String(response.status ?? 200),
    contentType: contentType?.[1] ?? '',
    body: response.body ?? '',
    delayMs: String(response.delayMs ?? 0),
    headers: headers
      .filter(([name]) => name.toLowerCase() !== 'content-type')
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    allowScripts: response.allowScripts === true,
  };
}

/**
 * Checks the fields and builds the response to send, or names the first field that is wrong: the
 * typed text here, the rest by the rule the server applies (`readBinResponse`).
 */
export function responseFromFields(fields: ResponseFields): { response: BinResponse } | { error: string } {
  const status = Number(fields.status);
  if (!/^\d{3}$/.test(fields.status.trim()) || !isBinStatus(status)) return { error: `Status must be a number from ${binStatusRange.min} to ${binStatusRange.max}.` };
  const delayMs = fields.delayMs.trim() === '' ? 0 : Number(fields.delayMs);
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > maxBinDelayMs) return { error: `Delay must be a whole number of milliseconds from 0 to ${maxBinDelayMs}.` };
  const headers: Record<string, string> = {};
  if (fields.contentType.trim()) headers['Content-Type'] = fields.contentType.trim();
  for (const line of fields.headers.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    // Indenting a typed line is harmless here, unlike in a request.
    const header = readHeaderLine(line.replace(/^[ \t]+/, ''));
    if (!header) return { error: `Header line "${line.trim()}" is not "Name: value".` };
    headers[header[0]] = header[1];
  }
  const read = readBinResponse({ status, headers, body: fields.body, delayMs, ...(fields.allowScripts ? { allowScripts: true } : {}) });
  if ('problem' in read) return { error: `${read.problem[0]!.toUpperCase()}${read.problem.slice(1)}.` };
  return read;
}
