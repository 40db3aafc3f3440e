/**
 * Where replays may be sent (AUTHBIN_REPLAY_ALLOW), so that a public authbin cannot be used to
 * probe the networks it sits in (SSRF). The check is made on the address a name resolves to, at
 * connect time, so a name that resolves to a private address is refused unless that is allowed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { inRange, isPublicAddress, parseIp, parseRange, type IpRange } from './ip-range.ts';
import { OutboundError } from './send-request.ts';

export type AllowRule =
  /** `*`: any host whose address is public; private ranges still need their own entry. */
  | { kind: 'public' }
  /** A name as written in the URL (`api.example.com`, `*.example.com`), whatever it resolves to. */
  | { kind: 'host'; host: string; port?: number }
  | { kind: 'range'; range: IpRange; port?: number };

export interface AllowList {
  rules: AllowRule[];
  /** The setting as given, or the default, for error messages. */
  source: string;
  isDefault: boolean;
}

export const defaultReplayAllow = '127.0.0.0/8,::1,localhost';

export class AllowListError extends Error {}

/** A replay target the allow list refuses. */
export class TargetNotAllowedError extends OutboundError {
  constructor(message: string) {
    super('not_allowed', message);
  }
}

const hostnamePattern = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function parseEntry(entry: string): AllowRule {
  if (entry === '*') return { kind: 'public' };
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const hostPort = /^([^:]+):(\d{1,5})$/.exec(entry);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : hostPort ? [hostPort[1]!, hostPort[2]] : [entry, undefined];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) throw new AllowListError(`AUTHBIN_REPLAY_ALLOW: "${entry}" has an invalid port`);
  const range = parseRange(host);
  if (range) {
    if (host.includes('/') && port !== undefined) throw new AllowListError(`AUTHBIN_REPLAY_ALLOW: "${entry}": a CIDR range takes no port`);
    return { kind: 'range', range, ...(port !== undefined && { port }) };
  }
  const name = host.toLowerCase().replace(/\.$/, '');
  if (!hostnamePattern.test(name)) {
    throw new AllowListError(`AUTHBIN_REPLAY_ALLOW: "${entry}" is not a host name, host:port, IP address, CIDR range or *`);
  }
  return { kind: 'host', host: name, ...(port !== undefined && { port }) };
}

/**
 * Parses the comma-separated setting: host names (`*.example.com` for subdomains), `host:port`,
 * IP addresses, CIDR ranges, or `*` for any public address. Null or empty means loopback only.
 * Throws AllowListError with a one-line message for a bad entry.
 */
export function parseAllowList(value: string | null | undefined): AllowList {
  const isDefault = value === null || value === undefined || value.trim() === '';
  const source = isDefault ? defaultReplayAllow : value.trim();
  const rules = source.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map(parseEntry);
  return { rules, source, isDefault };
}

const portMatches = (rule: { port?: number }, port: number) => rule.port === undefined || rule.port === port;

/** Whether the URL's host name itself is on the list (then whatever it resolves to is allowed). */
export function allowsHostName(list: AllowList, hostname: string, port: number): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return list.rules.some((rule) => {
    if (rule.kind !== 'host' || !portMatches(rule, port)) return false;
    return rule.host.startsWith('*.') ? name.endsWith(rule.host.slice(1)) : name === rule.host;
  });
}

/** Whether a resolved (or literal) address may be connected to on this port. */
export function allowsAddress(list: AllowList, address: string, port: number): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  return list.rules.some((rule) => {
    if (rule.kind === 'public') return isPublicAddress(ip);
    return rule.kind === 'range' && portMatches(rule, port) && inRange(ip, rule.range);
  });
}

function refusal(list: AllowList, target: string): TargetNotAllowedError {
  const setting = list.isDefault
    ? 'only loopback targets are allowed by default (127.0.0.0/8, ::1, localhost); set AUTHBIN_REPLAY_ALLOW to allow more'
    : `AUTHBIN_REPLAY_ALLOW is "${list.source}"`;
  return new TargetNotAllowedError(`sending to ${target} is not allowed: ${setting}`);
}

/**
 * Checks a target URL against the list. IP literals are checked now; for names it returns the
 * `lookup` to give node:http, which drops every resolved address the list refuses (and fails
 * when none is left), so the address checked is the address connected to.
 */
export function guardTarget(list: AllowList, url: URL): LookupFunction {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const nameAllowed = allowsHostName(list, hostname, port);
  if (parseIp(hostname) && !nameAllowed && !allowsAddress(list, hostname, port)) throw refusal(list, `${url.host}`);
  return (name, options, callback) => {
    dnsLookup(name, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      const allowed = nameAllowed ? addresses : addresses.filter(({ address }) => allowsAddress(list, address, port));
      const first = allowed[0];
      if (!first) {
        const shown = addresses.map(({ address }) => address).join(', ');
        return callback(refusal(list, `${url.host} (${shown})`), '');
      }
      if (options.all) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}
