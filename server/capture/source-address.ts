import type { Context } from 'hono';
import type { AppEnv } from '../app-deps.ts';
import { parseIp } from '../replay/ip-range.ts';

/** Who sent a request, as capture records it. */
export interface Sender {
  /** The first `X-Forwarded-For` address when the proxy is trusted, else the socket's; null in-process (`app.request()`). */
  address: string | null;
  /** Whether `address` came from `X-Forwarded-For` (then the socket's port says nothing about the sender). */
  forwarded: boolean;
}

/** The request's sender: the address capture records, and the one rate limits count by. */
export function senderOf(c: Context<AppEnv>, trustProxy: boolean): Sender {
  const incoming = c.env?.incoming;
  if (trustProxy) {
    // Read from Node's own parsed headers when there are some: `c.req.header` would build a whole fetch `Headers`.
    const header = incoming ? incoming.headers['x-forwarded-for'] : c.req.header('x-forwarded-for');
    const forwarded = (Array.isArray(header) ? header.join(', ') : header)?.split(',')[0]?.trim();
    if (forwarded) return { address: forwarded, forwarded: true };
  }
  return { address: incoming?.socket?.remoteAddress ?? null, forwarded: false };
}

const dottedQuad = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether an address is this machine's own (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  if (dottedQuad.test(address)) return address.startsWith('127.');
  const ip = parseIp(address);
  return ip !== undefined && (ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n);
}

/**
 * What a rate limit counts a sender by: an IPv4 address, or the /64 network of an IPv6 one (one
 * host usually holds a whole /64). Anything else (a proxy's odd header) counts as itself.
 *
 * @example sourceKey('2001:db8::1') === sourceKey('2001:db8::ffff') // true
 */
export function sourceKey(address: string): string {
  if (dottedQuad.test(address)) return address;
  const ip = parseIp(address);
  if (ip === undefined) return address.slice(0, 100);
  // An IPv4-mapped IPv6 address (a dual-stack socket's) counts as the IPv4 address it maps.
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((shift) => (ip.value >> shift) & 255n).join('.');
  return `${(ip.value >> 64n).toString(16)}::/64`;
}
