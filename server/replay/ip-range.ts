/** IP addresses and CIDR ranges as numbers, to decide whether an address lies in a range. */
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint {
  let groups = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (v4) {
    const value = ipv4Value(v4[1]!);
    groups = `${groups.slice(0, v4.index)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const mappedPrefix = 0xffffn << 32n;

/**
 * Parses an IPv4 or IPv6 address (brackets and a zone id allowed); an IPv4-mapped IPv6 address
 * (::ffff:127.0.0.1) counts as the IPv4 address it maps, so it cannot slip past IPv4 rules.
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return { family: 4, value: ipv4Value(bare) };
  if (!isIPv6(bare)) return undefined;
  const value = ipv6Value(bare.toLowerCase());
  if (value >> 32n === mappedPrefix >> 32n) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/** Parses `10.0.0.0/8`, `fd00::/8`, or a single address (a range of one). */
export function parseRange(text: string): IpRange | undefined {
  const slash = text.lastIndexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = parseIp(addressText);
  if (!address) return undefined;
  const writtenBits = isIPv4(addressText) ? 32 : 128;
  const prefixText = slash === -1 ? String(writtenBits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > writtenBits) return undefined;
  // A range written as IPv4-mapped IPv6 (::ffff:10.0.0.0/104) means the IPv4 range it maps.
  const prefix = Number(prefixText) - (address.family === 4 && writtenBits === 128 ? 96 : 0);
  if (prefix < 0) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  return { family: address.family, network: address.value >> BigInt(bits - prefix), prefix };
}

export function inRange(address: IpAddress, range: IpRange): boolean {
  if (address.family !== range.family) return false;
  const bits = address.family === 4 ? 32 : 128;
  return address.value >> BigInt(bits - range.prefix) === range.network;
}

/**
 * IANA's IPv4 special-purpose ranges that are not globally reachable (RFC 6890 and its updates):
 * this network, private, shared (CGN), loopback, link-local, IETF protocol assignments,
 * documentation, the 6to4 relay anycast, benchmarking, multicast, reserved and broadcast.
 */
const nonPublicIpv4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
  '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
].map((text) => parseRange(text)!);

/** IANA's global unicast space: the rest of IPv6 (ULA, link-local, multicast, discard, NAT64 local use…) is not public. */
const globalUnicast = parseRange('2000::/3')!;

/** Inside global unicast: IETF protocol assignments (Teredo, ORCHID…) and documentation. */
const nonPublicIpv6 = ['2001::/23', '2001:db8::/32', '3fff::/20'].map((text) => parseRange(text)!);

/**
 * IPv6 ranges that carry an IPv4 address, and how far right of it the IPv4 bits end: a packet
 * to one of them may reach that IPv4 address (through a translator, a tunnel or the host's own
 * stack), so it is only as public as that address. `::/96` includes `::` and `::1`, which carry
 * 0.0.0.0 and 0.0.0.1: not public either.
 */
const ipv4Carriers = [
  { range: '::/96', shift: 0n }, // IPv4-compatible (deprecated)
  { range: '::ffff:0:0:0/96', shift: 0n }, // IPv4-translated (SIIT)
  { range: '64:ff9b::/96', shift: 0n }, // NAT64 well-known prefix
  { range: '2002::/16', shift: 80n }, // 6to4: 2002:AABB:CCDD::/48
].map(({ range, shift }) => ({ range: parseRange(range)!, shift }));

/** The IPv4 address an IPv6 address carries, if it lies in one of the ranges above. */
function carriedIpv4(address: IpAddress): IpAddress | undefined {
  const carrier = ipv4Carriers.find(({ range }) => inRange(address, range));
  return carrier && { family: 4, value: (address.value >> carrier.shift) & 0xffffffffn };
}

/**
 * Whether an address is on the public internet: not loopback, private, link-local, reserved or
 * otherwise special-purpose. An IPv6 address that carries an IPv4 one (IPv4-mapped, -compatible,
 * NAT64, 6to4) is judged by that IPv4 address.
 */
export function isPublicAddress(address: IpAddress): boolean {
  if (address.family === 4) return !nonPublicIpv4.some((range) => inRange(address, range));
  const carried = carriedIpv4(address);
  if (carried) return isPublicAddress(carried);
  return inRange(address, globalUnicast) && !nonPublicIpv6.some((range) => inRange(address, range));
}
