import type { BinResponse } from '../../shared/api.ts';

/** The bin response form's fields, all as typed. */
export interface ResponseFields {
  status: string;
  contentType: string;
  body: string;
  delayMs: string;
  /** Extra headers, one "Name: value" a line. */
  headers: string;
}

export const DEFAULT_FIELDS: ResponseFields = { status: '200', contentType: 'application/json', body: '', delayMs: '0', headers: '' };

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
  };
}

/** Checks the fields and builds the response to send, or names the first field that is wrong. */
export function responseFromFields(fields: ResponseFields): { response: BinResponse } | { error: string } {
  const status = Number(fields.status);
  if (!/^\d{3}$/.test(fields.status.trim()) || status < 100 || status > 599) return { error: 'Status must be a number from 100 to 599.' };
  const delayMs = fields.delayMs.trim() === '' ? 0 : Number(fields.delayMs);
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 30_000) return { error: 'Delay must be a whole number of milliseconds from 0 to 30000.' };
  const headers: Record<string, string> = {};
  if (fields.contentType.trim()) headers['Content-Type'] = fields.contentType.trim();
  for (const line of fields.headers.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(line.trim());
    if (!match) return { error: `Header line "${line.trim()}" is not "Name: value".` };
    headers[match[1] as string] = match[2] as string;
  }
  return { response: { status, headers, body: fields.body, delayMs } };
}
