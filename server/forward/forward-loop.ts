/**
 * Whether a forwardTo URL leads back into this server's own capture routes, so that each relay
 * would be captured and relayed again. Judged by the addresses its host resolves to and its
 * port, not by how it is spelt (localhost, 127.1, 0x7f.1, [::ffff:127.0.0.1] are all one place).
 */
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { inRange, parseIp, parseRange, type IpAddress } from '../replay/ip-range.ts';

/**
 * Whether a relay to this path could be captured: it is under `/b/`, or a captured sub-path
 * appended to it could put it there (`/` + `/b/x`, `/b` + `/x`).
 */
export function reachesCapture(pathname: string): boolean {
  return pathname === '/' || pathname === '/b' || pathname.startsWith('/b/');
}

/** Loopback, and the unspecified addresses, which a connection takes to this host too. */
const thisHost = ['127.0.0.0/8', '::1', '0.0.0.0', '::'].map((text) => parseRange(text)!);

const same = (a: IpAddress, b: IpAddress | undefined) => b !== undefined && a.family === b.family && a.value === b.value;

/**
 * Whether a connection to `address` reaches a server listening on `listening`'s address: any
 * address of this host when it listens on 0.0.0.0 or ::, any loopback one when it listens on
 * loopback (all of 127.0.0.0/8 is this host), else that address only.
 */
export function isOwnAddress(address: string, listening: string, interfaces: NodeJS.Dict<{ address: string }[]> = networkInterfaces()): boolean {
  const target = parseIp(address);
  const own = parseIp(listening);
  if (!target || !own) return false;
  if (!thisHost.some((range) => inRange(own, range))) return same(target, own);
  if (thisHost.some((range) => inRange(target, range))) return true;
  return own.value === 0n && Object.values(interfaces).some((list) => list?.some((entry) => same(target, parseIp(entry.address))));
}

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** How `url` reaches this server, if it does: by the host the API was called through, or by address and port. */
async function reachesThisServer(url: URL, listening: AddressInfo | null | undefined, callerHost: string | undefined): Promise<string | undefined> {
  // Behind a proxy the addresses are the proxy's: the Host it was reached by tells instead.
  const asCalled = callerHost !== undefined && URL.canParse(`${url.protocol}//${callerHost}`) ? new URL(`${url.protocol}//${callerHost}`) : undefined;
  if (asCalled?.host === url.host) return `${url.host} is the host this API was called through`;
  if (!listening || portOf(url) !== listening.port) return undefined;
  // A name that does not resolve leads nowhere: the relay records that failure itself.
  const addresses = await lookup(url.hostname.replace(/^\[(.*)\]$/, '$1'), { all: true }).catch(() => []);
  const own = addresses.find(({ address }) => isOwnAddress(address, listening.address));
  return own && `${url.host} is this authbin (${own.address}, port ${listening.port})`;
}

/**
 * Why relaying to `url` would be captured by this server again, or undefined when it would not:
 * its path reaches a capture route, and its host resolves (as the relay resolves it) to an
 * address this server listens on, at its port, or is the Host the API call came through.
 */
export async function forwardLoop(url: URL, self: { listening: AddressInfo | null | undefined; callerHost?: string }): Promise<string | undefined> {
  if (!reachesCapture(url.pathname)) return undefined;
  const how = await reachesThisServer(url, self.listening, self.callerHost);
  return how && `${how}, and ${url.pathname} leads to its capture routes (/b/…): every relay would be captured and relayed again`;
}
