import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { CliIo } from '../../../server/cli/io.ts';
import { headerOf, startRecordingServer, type RecordedRequest, type RecordingServer } from '../../helpers/recording-server.ts';

/** Zendesk's documented test signing secret, used as text (not decoded), as Zendesk does. */
export const signingSecret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

/** Zendesk: base64(HMAC-SHA256(secret, timestamp + body)). */
export function zendeskSignature(timestamp: string, body: Buffer): string {
  return createHmac('sha256', signingSecret).update(Buffer.concat([Buffer.from(timestamp), body])).digest('base64');
}

export interface SentWebhook {
  /** The id authbin gave the capture. */
  id: string;
  /** The headers as this client wrote them, in order. */
  headers: [string, string][];
  body: Buffer;
}

/**
 * Sends a signed Zendesk-style webhook to a bin, headers in Zendesk's order and case plus a
 * repeated one, and resolves with what authbin acknowledged.
 */
export function sendWebhook(binUrl: string, invocation: number): Promise<SentWebhook> {
  const url = new URL(`${binUrl}/zendesk?n=${invocation}`);
  const body = Buffer.from(JSON.stringify({ type: 'zen:event-type:ticket.created', detail: { id: invocation, subject: `Ticket ${invocation} ✓ — “quoted”` } }));
  const timestamp = new Date(Date.UTC(2024, 0, 1, 0, 0, invocation)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const headers: [string, string][] = [
    ['Host', url.host],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['x-zendesk-account-id', '123456'],
    ['x-zendesk-webhook-id', '01GBJGT3F5ZQ8P6XPGMM8Y0VXH'],
    ['x-zendesk-webhook-invocation-id', String(invocation)],
    ['X-Zendesk-Webhook-Signature', zendeskSignature(timestamp, body)],
    ['x-zendesk-webhook-signature-timestamp', timestamp],
    ['X-Tag', 'a'],
    ['x-tag', 'b'],
    ['Content-Length', String(body.length)],
  ];
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: headers.flat(), agent: false, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`capture answered ${res.statusCode}`));
        const { id } = JSON.parse(Buffer.concat(chunks).toString()) as { id: string };
        resolve({ id, headers, body });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Whether a delivered request carries a valid Zendesk signature over its body, as a real receiver checks it. */
export function hasValidSignature(delivered: RecordedRequest): boolean {
  const timestamp = headerOf(delivered, 'x-zendesk-webhook-signature-timestamp');
  return timestamp !== undefined && headerOf(delivered, 'x-zendesk-webhook-signature') === zendeskSignature(timestamp, delivered.body);
}

/** The local receiver: records each request and answers `{"ok":true}` after `delayMs`. */
export function startReceiver(delayMs = 0): Promise<RecordingServer> {
  return startRecordingServer((response) => setTimeout(() => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'), delayMs));
}

/** What a forwarded request must look like: the sent headers with Host rewritten; Node's own Connection header last. */
export function expectedAtReceiver(sent: SentWebhook, receiverHost: string): [string, string][] {
  return [...sent.headers.map(([name, value]): [string, string] => (name === 'Host' ? [name, receiverHost] : [name, value])), ['Connection', 'close']];
}

/** A CliIo that keeps what is printed, and lets a test wait for a line. */
export function recordingIo() {
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout + stderr)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      check();
    },
    stderr: (text) => {
      stderr += text;
      check();
    },
    readStdin: () => Promise.resolve(''),
    stdinIsTerminal: true,
    now: () => Date.now(),
  };
  return {
    io,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Resolves once the output matches, or rejects after `timeoutMs`. */
    waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${stdout}${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        check();
      });
    },
  };
}
