import { parseArgs } from 'node:util';
import type { BinResponse } from '../shared/api.ts';
import { binNamePattern } from './capture/request-target.ts';
import { parseAllowList } from './replay/allow-list.ts';

/** Everything authbin can be told at start, parsed once from flags and environment. */
export interface Config {
  host: string;
  port: number;
  /** Path of the SQLite file. */
  db: string;
  maxBodyBytes: number;
  /** When set, the API and UI need it; capture routes never do. */
  token: string | null;
  maxRequestsPerBin: number;
  retentionDays: number;
  /** Size cap of the stored data in bytes; null for none. */
  maxDbBytes: number | null;
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

export class ConfigError extends Error {}

export const usage = `Usage: authbin [serve] [options]   (from a clone: npm start -- [options])

Options (each also read from the environment variable shown):
  --host HOST               address to listen on (HOST, default 127.0.0.1)
  --port PORT               port, 0 picks a free one (PORT, default 8787)
  --db PATH                 SQLite file (AUTHBIN_DB, default ./data/authbin.db)
  --max-body-bytes N        largest body stored whole (AUTHBIN_MAX_BODY_BYTES, default 10485760)
  --max-requests-per-bin N  newest requests kept per bin (AUTHBIN_MAX_REQUESTS_PER_BIN, default 10000)
  --retention-days N        days a request is kept (AUTHBIN_RETENTION_DAYS, default 7)
  --max-db-bytes N          cap on stored data; the oldest requests go first (AUTHBIN_MAX_DB_BYTES, default none)
  --trust-proxy             believe X-Forwarded-For/-Proto (AUTHBIN_TRUST_PROXY=1)
  --bin NAME[=JSON]         create a bin at start, optionally with its response, e.g.
                            --bin 'flaky={"status":503,"headers":{"Retry-After":"7"}}' (repeatable)
  --insecure-public         allow a non-loopback host without AUTHBIN_TOKEN
  --tls-cert FILE           serve HTTPS with this PEM certificate chain (AUTHBIN_TLS_CERT)
  --tls-key FILE            and this PEM private key (AUTHBIN_TLS_KEY); both re-read on SIGHUP
  --help                    show this help
The API token is read from AUTHBIN_TOKEN only, so that it never shows in a process list.
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
        'max-body-bytes': { type: 'string' },
        'max-requests-per-bin': { type: 'string' },
        'retention-days': { type: 'string' },
        'max-db-bytes': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
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
  if (values.help) throw new ConfigError(usage);

  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const token = env.AUTHBIN_TOKEN ?? null;
  if (token !== null && token.length < 16) {
    throw new ConfigError('AUTHBIN_TOKEN must be at least 16 characters: it guards captured credentials');
  }
  const insecurePublic = values['insecure-public'] ?? false;
  if (!isLoopback(host) && token === null && !insecurePublic) {
    throw new ConfigError(
      `refusing to listen on ${host} without AUTHBIN_TOKEN: captured requests hold people's credentials. ` +
        'Set AUTHBIN_TOKEN, or pass --insecure-public if the network is trusted.',
    );
  }
  return Object.freeze({
    host,
    port: integer('port', values.port ?? env.PORT, 8787, 0, 65535),
    db: values.db ?? env.AUTHBIN_DB ?? 'data/authbin.db',
    maxBodyBytes: integer('max body bytes', values['max-body-bytes'] ?? env.AUTHBIN_MAX_BODY_BYTES, 10 * 1024 * 1024, 0, 2 ** 31 - 1),
    token,
    maxRequestsPerBin: integer('max requests per bin', values['max-requests-per-bin'] ?? env.AUTHBIN_MAX_REQUESTS_PER_BIN, 10_000, 1, 2 ** 31 - 1),
    retentionDays: integer('retention days', values['retention-days'] ?? env.AUTHBIN_RETENTION_DAYS, 7, 1, 36_500),
    maxDbBytes: (() => {
      const raw = values['max-db-bytes'] ?? env.AUTHBIN_MAX_DB_BYTES;
      return raw === undefined || raw === '' ? null : integer('max db bytes', raw, 0, 1024 * 1024, Number.MAX_SAFE_INTEGER);
    })(),
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
  if (!binNamePattern.test(id)) throw new ConfigError(`invalid --bin "${spec.slice(0, 80)}": a bin name is 1–64 letters, digits, "_" or "-"`);
  if (eq === -1) return { id, response: null };
  try {
    const response = JSON.parse(spec.slice(eq + 1)) as unknown;
    if (typeof response !== 'object' || response === null || Array.isArray(response)) throw new Error('not an object');
    return { id, response: response as BinResponse };
  } catch (error) {
    throw new ConfigError(`invalid --bin "${id}": the response after "=" must be a JSON object such as {"status":503} (${(error as Error).message})`);
  }
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
