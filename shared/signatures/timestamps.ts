/** Signed timestamps: reading them, writing them and judging their age. */
import type { Finding, Severity } from '../auth/types.ts';

/** Zendesk writes ISO-8601 UTC; Stripe, Slack and Standard Webhooks write unix seconds. */
export type TimestampFormat = 'iso' | 'unix';

export interface Tolerance {
  seconds: number;
  /** False when the sender documents no window and we only flag what receivers commonly reject. */
  documented: boolean;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch, or undefined when `raw` isn't a timestamp in `format`. */
export function parseTimestamp(raw: string, format: TimestampFormat): number | undefined {
  if (format === 'unix') return /^\d{1,12}$/.test(raw) ? Number(raw) * 1000 : undefined;
  const match = ISO_8601.exec(raw);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(match[7] ?? 0) * 1000);
  // Date.UTC rolls 30 February over into March; a real timestamp never needs that.
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = match[8] ? (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10])) : 0;
  return local - offsetMinutes * 60_000;
}

/** `2021-03-25T05:09:27Z` (whole seconds, as Zendesk sends) or `1616649 …` unix seconds. */
export function formatTimestamp(date: Date, format: TimestampFormat): string {
  if (format === 'unix') return String(Math.floor(date.getTime() / 1000));
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** @example describeDuration(3725) // '1 hour 2 minutes' */
export function describeDuration(totalSeconds: number): string {
  const seconds = Math.abs(Math.round(totalSeconds));
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, name] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
    else if (parts.length > 0) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

export interface TimestampCheck {
  timestamp?: string;
  ageSeconds?: number;
  findings: Finding[];
}

/**
 * Reads the signed timestamp (`undefined`: the sender sent none) and judges its age at `now`.
 * `header` names where the timestamp lives, for the messages.
 */
export function checkTimestamp(
  raw: string | undefined,
  format: TimestampFormat,
  tolerance: Tolerance,
  header: string,
  sender: string,
  now: number,
): TimestampCheck {
  if (raw === undefined) {
    return {
      findings: [
        {
          code: 'timestamp-missing',
          severity: 'error',
          message: `The request has no ${header}: ${sender} signs the timestamp along with the body, so a receiver can't rebuild the signed message.`,
          fix: `Check that nothing between ${sender} and your receiver drops the ${header} header.`,
        },
      ],
    };
  }
  const ms = parseTimestamp(raw, format);
  if (ms === undefined) {
    const expected = format === 'unix' ? 'whole unix seconds, e.g. 1614265330' : 'ISO-8601 UTC, e.g. 2021-03-25T05:09:27Z';
    return {
      findings: [
        {
          code: 'timestamp-malformed',
          severity: 'error',
          message: `${header} is not a timestamp (${raw.length} characters); ${sender} sends ${expected}.`,
        },
      ],
    };
  }
  const ageSeconds = Math.round((now - ms) / 1000);
  const check: TimestampCheck = { timestamp: new Date(ms).toISOString(), ageSeconds, findings: [] };
  if (Math.abs(ageSeconds) > tolerance.seconds) check.findings.push(toleranceFinding(ageSeconds, tolerance, sender));
  return check;
}

function toleranceFinding(ageSeconds: number, tolerance: Tolerance, sender: string): Finding {
  const when =
    ageSeconds > 0
      ? `${describeDuration(ageSeconds)} old when it arrived`
      : `${describeDuration(ageSeconds)} in the future when it arrived`;
  const window = describeDuration(tolerance.seconds);
  const rule = tolerance.documented
    ? `${sender}'s own libraries reject timestamps more than ${window} (${tolerance.seconds} s) away`
    : `${sender} documents no tolerance, but receivers commonly reject timestamps more than ${window} away as replays`;
  const severity: Severity = tolerance.documented ? 'error' : 'warning';
  return {
    code: 'timestamp-outside-tolerance',
    severity,
    message: `The signed timestamp was ${when}, ${describeDuration(Math.abs(ageSeconds) - tolerance.seconds)} outside the window: ${rule}.`,
    fix:
      ageSeconds > 0
        ? 'A replayed or long-delayed request: send a fresh one. If fresh requests are also old, check the clocks (NTP) of sender and receiver.'
        : "The sender's clock is ahead of the receiver's: sync both with NTP.",
  };
}
