/** The requests the bench sends: a Zendesk-style ticket webhook with a Basic API-token header. */

import type { Expected } from '../shared/auth/types.ts';

/** A made-up credential in the Zendesk API-token form (`email/token:40 letters and digits`). */
export const benchCredentials = { kind: 'api-token', email: 'bench@example.com', token: 'B3nchT0kenNotARealSecretJustFortyChars00' } as const satisfies Expected;
const benchCredential = `${benchCredentials.email}/token:${benchCredentials.token}`;

export const basicAuthorization = `Basic ${Buffer.from(benchCredential, 'utf8').toString('base64')}`;

/** A JSON ticket event of exactly `size` bytes (the description pads it). */
export function ticketJson(size: number, seed = 0): Buffer {
  const event = {
    type: 'zen:event-type:ticket.created',
    account_id: 10_000_000 + (seed % 997),
    id: `01HZ${String(seed).padStart(22, '0')}`,
    time: '2024-05-01T12:00:00Z',
    zendesk_event_version: '2022-11-06',
    subject: `zen:ticket:${100_000 + seed}`,
    detail: {
      id: String(100_000 + seed),
      status: 'NEW',
      priority: 'NORMAL',
      requester_id: '9876543210',
      subject: 'Printer on fire',
      description: '',
    },
  };
  const base = Buffer.byteLength(JSON.stringify(event));
  if (base > size) throw new Error(`a ticket event needs at least ${base} bytes`);
  event.detail.description = 'x'.repeat(size - base);
  return Buffer.from(JSON.stringify(event));
}

/** Headers of a captured webhook, as a sender sends them (the load generator adds Host and Content-Length). */
export function captureHeaders(): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    Authorization: basicAuthorization,
    'User-Agent': 'Zendesk Webhook',
    'X-Zendesk-Webhook-Id': '01HZBENCH0000000000000000',
  };
}

export const kib = 1024;
