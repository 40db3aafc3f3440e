import { existsSync, statfsSync, statSync } from 'node:fs';
import { minSecretKeyLength } from './rules/secrets.ts';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BinResponse } from '../shared/api.ts';
import { binNameSyntax, isBinName } from '../shared/http/bin-name.ts';
import { parseAllowList } from './replay/allow-list.ts';
import { isPostgresUrl } from './store/database-kind.ts';

/** Everything authbin can be told at start, parsed once from flags and environment. */
export interface Config {
  host: string;
  port: number;
  /** Path of the SQLite file. */
  db: string;
  /** What a SQLite commit waits for: `normal` survives a crash of authbin, `full` also one of the OS or a power loss. */
  durability: Durability;
  maxBodyBytes: number;
  /** Most bytes `?decoded=1` may inflate a stored body to (every layer of a stacked encoding counted). */
  maxDecodedBytes: number;
  /** When set, the API and UI need it; capture routes never do. */
  token: string | null;
  /** `AUTHBIN_SECRET_KEY`: the key of rules' secrets (#19); unset, SQLite keeps one in a 0600 file beside the database. */
  secretKey: string | null;
  /** The URLs senders and browsers reach this instance at (`--public-url`), each an origin; [] when unset. */
  publicUrls: string[];
  maxRequestsPerBin: number;
  retentionDays: number;
  /** Size cap of the stored data in bytes; null for none. */
  maxDbBytes: number | null;
  /** Bins that captures may create; past it a capture to a new bin is refused (the API still creates). */
  maxBins: number;
  /** Captures per second a source address may send (a token bucket); 0 for no limit. */
  captureRate: number;
  /** How many captures a source address may send at once before `captureRate` applies. */
  captureBurst: number;
  /** Whether loopback sources are rate limited too (a local harness is not, by default). */
  rateLimitLoopback: boolean;
  /** Where replays may be sent (AUTHBIN_REPLAY_ALLOW); null means loopback only. */
  replayAllow: string | null;
  /** Believe X-Forwarded-For / -Proto from a reverse proxy. */
  trustProxy: boolean;
  insecurePublic: boolean;
  /** Bins to create at start (`--bin name[=response JSON]`), with their response preset. */
  bins: { id: string; response: BinResponse | null }[];
  /** Folder of the built UI. */
  webRoot: string;
  /** Serve HTTPS with these PEM files (re-read on SIGHUP); null serves plain HTTP. */
  tls: { cert: string; key: string } | null;
}

export type Durability = 'normal' | 'full';

export class ConfigError extends Error {}

/** `--help` was given: the caller prints {@link usage} and starts nothing. */
export class HelpRequested extends Error {}

export const usage = `Usage: authbin [serve] [options]   (from a clone: npm start -- [options])

Options (each also read from the environment variable shown):
  --host HOST               address to listen on (HOST, default 127.0.0.1)
  --port PORT               port, 0 picks a free one (PORT, default 8787)
  --db PATH                 SQLite file (AUTHBIN_DB, default ./data/authbin.db)
  --durability normal|full  what a 2xx survives with SQLite (AUTHBIN_DURABILITY, default normal): normal, a
                            crash of authbin; full, also a crash of the OS or a power loss (an fsync per commit)
  --max-body-bytes N        largest body stored whole (AUTHBIN_MAX_BODY_BYTES, default 10485760)
  --max-decoded-bytes N     most a body may decompress to for ?decoded=1 (AUTHBIN_MAX_DECODED_BYTES, default 67108864)
  --max-requests-per-bin N  newest requests kept per bin (AUTHBIN_MAX_REQUESTS_PER_BIN, default 10000)
  --retention-days N        days a request is kept (AUTHBIN_RETENTION_DAYS, default 7)
  --max-db-bytes N          cap on stored data; the oldest requests go first (AUTHBIN_MAX_DB_BYTES; 0, none or
                            off for no cap; default for SQLite: half of the free disk space plus what the database
                            already takes, measured at start, between 64 MiB and 64 GiB; PostgreSQL: none)
  --max-bins N              bins captures may create; past it a capture to a new bin gets 404 (AUTHBIN_MAX_BINS,
                            default 1000; 0: only the API and UI create bins)
  --capture-rate N          captures per second from one address, IPv6 by /64 (AUTHBIN_CAPTURE_RATE, default 20;
                            0 for no limit); past it 429 with Retry-After
  --capture-burst N         captures one address may send at once (AUTHBIN_CAPTURE_BURST, default 100)
  --rate-limit-loopback     rate-limit loopback sources too (AUTHBIN_RATE_LIMIT_LOOPBACK=1; off by default)
  --trust-proxy             believe X-Forwarded-For/-Proto (AUTHBIN_TRUST_PROXY=1)
  --public-url URL[,URL]    where this instance is reached, e.g. https://bins.example.com
                            (AUTHBIN_PUBLIC_URL): its host is accepted by the UI and API, and the
                            UI shows capture URLs on it
  --bin NAME[=JSON]         create a bin at start, optionally with its response, e.g.
                            --bin 'flaky={"status":503,"headers":{"Retry-After":"7"}}' (repeatable)
  --insecure-public         allow a non-loopback host without AUTHBIN_TOKEN
  --tls-cert FILE           serve HTTPS with this PEM certificate chain (AUTHBIN_TLS_CERT)
  --tls-key FILE            and this PEM private key (AUTHBIN_TLS_KEY); both re-read on SIGHUP
  --help                    show this help
The API token is read from AUTHBIN_TOKEN only, so that it never shows in a process list.
AUTHBIN_SECRET_KEY (32+ characters) keeps rules' secrets; unset, a SQLite database gets a key file
beside it (<db>.key, mode 0600).
AUTHBIN_REPLAY_ALLOW lists where replays and forwards may go (hosts, host:port, CIDRs, or * for
public addresses); the default is loopback only.`;

type Env = Record<string, string | undefined>;

/** Parses flags (which win) and environment into a frozen Config; throws ConfigError with one clear line. */
export function loadConfig(argv: string[], env: Env, defaults: { webRoot: string }): Readonly<Config> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        db: { type: 'string' },
        durability: { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'max-decoded-bytes': { type: 'string' },
        'max-requests-per-bin': { type: 'string' },
        'retention-days': { type: 'string' },
        'max-db-bytes': { type: 'string' },
        'max-bins': { type: 'string' },
        'capture-rate': { type: 'string' },
        'capture-burst': { type: 'string' },
        'rate-limit-loopback': { type: 'boolean' },
        'trust-proxy': { type: 'boolean' },
        'public-url': { type: 'string' },
        'insecure-public': { type: 'boolean' },
        bin: { type: 'string', multiple: true },
        help: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see --help)`);
  }
  if (values.help) throw new HelpRequested(usage);

  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const token = env.AUTHBIN_TOKEN ?? null;
  if (token !== null) checkTokenStrength(token);
  const insecurePublic = values['insecure-public'] ?? false;
  if (!isLoopback(host) && token === null && !insecurePublic) {
    throw new ConfigError(
      `refusing to listen on ${host} without AUTHBIN_TOKEN: captured requests hold people's credentials. ` +
        'Set AUTHBIN_TOKEN, or pass --insecure-public if the network is trusted.',
    );
  }
  const db = values.db ?? env.AUTHBIN_DB ?? 'data/authbin.db';
  const secretKey = env.AUTHBIN_SECRET_KEY ?? null;
  if (secretKey !== null && secretKey.length < minSecretKeyLength) {
    throw new ConfigError(`AUTHBIN_SECRET_KEY must be at least ${minSecretKeyLength} characters (openssl rand -hex 32): it keeps rules' secrets`);
  }
  return Object.freeze({
    host,
    secretKey,
    port: integer('port', values.port ?? env.PORT, 8787, 0, 65535),
    db,
    durability: durability(values.durability ?? env.AUTHBIN_DURABILITY),
    maxBodyBytes: integer('max body bytes', values['max-body-bytes'] ?? env.AUTHBIN_MAX_BODY_BYTES, 10 * 1024 * 1024, 0, 2 ** 31 - 1),
    maxDecodedBytes: integer('max decoded bytes', values['max-decoded-bytes'] ?? env.AUTHBIN_MAX_DECODED_BYTES, 64 * 1024 * 1024, 1, 2 ** 31 - 1),
    token,
    publicUrls: publicUrls(values['public-url'] ?? env.AUTHBIN_PUBLIC_URL),
    maxRequestsPerBin: integer('max requests per bin', values['max-requests-per-bin'] ?? env.AUTHBIN_MAX_REQUESTS_PER_BIN, 10_000, 1, 2 ** 31 - 1),
    retentionDays: integer('retention days', values['retention-days'] ?? env.AUTHBIN_RETENTION_DAYS, 7, 1, 36_500),
    maxDbBytes: maxDbBytes(values['max-db-bytes'] ?? env.AUTHBIN_MAX_DB_BYTES, db),
    maxBins: integer('max bins', values['max-bins'] ?? env.AUTHBIN_MAX_BINS, 1000, 0, 2 ** 31 - 1),
    captureRate: integer('capture rate', values['capture-rate'] ?? env.AUTHBIN_CAPTURE_RATE, 20, 0, 1_000_000),
    captureBurst: integer('capture burst', values['capture-burst'] ?? env.AUTHBIN_CAPTURE_BURST, 100, 1, 1_000_000),
    rateLimitLoopback: values['rate-limit-loopback'] ?? truthy(env.AUTHBIN_RATE_LIMIT_LOOPBACK),
    replayAllow: replayAllow(env.AUTHBIN_REPLAY_ALLOW),
    trustProxy: values['trust-proxy'] ?? truthy(env.AUTHBIN_TRUST_PROXY),
    insecurePublic,
    bins: (values.bin ?? []).map(presetBin),
    webRoot: defaults.webRoot,
    tls: tlsFiles(values['tls-cert'] ?? env.AUTHBIN_TLS_CERT, values['tls-key'] ?? env.AUTHBIN_TLS_KEY),
  });
}

function tlsFiles(cert: string | undefined, key: string | undefined): Config['tls'] {
  if (!cert && !key) return null;
  if (!cert || !key) throw new ConfigError('HTTPS needs both --tls-cert and --tls-key (AUTHBIN_TLS_CERT and AUTHBIN_TLS_KEY)');
  return { cert, key };
}

/** `--bin zendesk` or `--bin 'flaky={"status":503,"headers":{"Retry-After":"7"}}'`. */
function presetBin(spec: string): { id: string; response: BinResponse | null } {
  const eq = spec.indexOf('=');
  const id = eq === -1 ? spec : spec.slice(0, eq);
  if (!isBinName(id)) throw new ConfigError(`invalid --bin "${spec.slice(0, 80)}": a bin name is ${binNameSyntax}`);
  if (eq === -1) return { id, response: null };
  try {
    const response = JSON.parse(spec.slice(eq + 1)) as unknown;
    if (typeof response !== 'object' || response === null || Array.isArray(response)) throw new Error('not an object');
    return { id, response: response as BinResponse };
  } catch (error) {
    throw new ConfigError(`invalid --bin "${id}": the response after "=" must be a JSON object such as {"status":503} (${(error as Error).message})`);
  }
}

/** `https://bins.example.com` or several, comma-separated: each kept as its origin. */
function publicUrls(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const spelled = entry.trim();
    const url = URL.canParse(spelled) ? new URL(spelled) : null;
    if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || url.pathname !== '/') {
      throw new ConfigError(`invalid public URL "${spelled.slice(0, 100)}": expected an origin such as https://bins.example.com (no path: authbin serves from the root)`);
    }
    return url.origin;
  });
}

/**
 * The token is the only thing between the internet and captured credentials: refuse one that is
 * short, a repeated pattern (`passwordpassword`) or made of a handful of characters, which a
 * guesser tries first. A random token of 16+ characters passes.
 */
function checkTokenStrength(token: string): void {
  const advice = 'make one with `openssl rand -base64 32`';
  if (token.length < 16) throw new ConfigError(`AUTHBIN_TOKEN must be at least 16 characters: it guards captured credentials; ${advice}`);
  if (/^(.+?)\1+$/s.test(token) || new Set(token).size < 6) {
    throw new ConfigError(`AUTHBIN_TOKEN looks guessable (a repeated pattern or too few different characters): it guards captured credentials; ${advice}`);
  }
}

const mib = 1024 * 1024;
const defaultDbCapFloor = 64 * mib;
const defaultDbCapCeiling = 64 * 1024 * mib;

/** The size cap given, none when told `0`/`none`/`off`, or else sized from the disk (SQLite only). */
function maxDbBytes(raw: string | undefined, db: string): number | null {
  if (raw !== undefined && /^\s*(0|none|off)\s*$/i.test(raw)) return null;
  if (raw !== undefined && raw !== '') return integer('max db bytes', raw, 0, mib, Number.MAX_SAFE_INTEGER);
  // PostgreSQL's disk is the database server's, out of sight from here.
  if (isPostgresUrl(db)) return null;
  return defaultMaxDbBytes(roomForDatabase(resolve(db)));
}

/**
 * The default size cap: half the room the database has, so a flood leaves the disk half free
 * (the WAL and the file's free pages come on top), kept between 64 MiB and 64 GiB.
 *
 * @example defaultMaxDbBytes(10 * 2 ** 30) // 5 GiB
 */
export function defaultMaxDbBytes(roomBytes: number): number {
  return Math.min(defaultDbCapCeiling, Math.max(defaultDbCapFloor, Math.floor(roomBytes / 2)));
}

/**
 * Free space on the database's filesystem plus what its files take already: measured at each start,
 * a cap from free space alone would shrink as the database grows, and evict at the next start.
 */
export function roomForDatabase(path: string): number {
  let existing = dirname(path);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const { bavail, bsize } = statfsSync(existing);
  let taken = 0;
  for (const file of [path, `${path}-wal`, `${path}-search`, `${path}-search-wal`, `${path}-reserve`]) {
    try {
      taken += statSync(file).size;
    } catch {
      // Not there (yet).
    }
  }
  return bavail * bsize + taken;
}

function durability(raw: string | undefined): Durability {
  if (raw === undefined || raw === '') return 'normal';
  const value = raw.trim().toLowerCase();
  if (value !== 'normal' && value !== 'full') throw new ConfigError(`invalid durability "${raw}": expected normal or full`);
  return value;
}

function replayAllow(raw: string | undefined): string | null {
  const value = raw?.trim() || null;
  try {
    parseAllowList(value);
  } catch (error) {
    throw new ConfigError(`invalid AUTHBIN_REPLAY_ALLOW: ${(error as Error).message}`);
  }
  return value;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`invalid ${name} "${raw}": expected a whole number from ${min} to ${max}`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`invalid ${name} "${raw}": expected a whole number from ${min} to ${max}`);
  return value;
}

function truthy(raw: string | undefined): boolean {
  return raw !== undefined && /^(1|true|yes|on)$/i.test(raw);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
