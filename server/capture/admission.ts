import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { RateLimit } from './rate-limit.ts';
import { parseCaptureTarget, type CaptureTarget } from './request-target.ts';
import { isLoopbackAddress, senderOf, sourceKey } from './source-address.ts';

/**
 * What an anonymous sender meets before anything of its request is read or stored: a rate limit
 * per source address, and a limit on the bins captures may create. One per server, shared by the
 * capture route and the requests the HTTP parser refuses (refused-requests.ts), which count alike.
 */
export class CaptureAdmission {
  readonly #rateLimit: RateLimit | null;
  readonly #deps: Pick<AppDeps, 'store' | 'config'>;

  constructor(deps: Pick<AppDeps, 'store' | 'config'>) {
    const { config } = deps;
    this.#deps = deps;
    this.#rateLimit = config.captureRate > 0 ? new RateLimit({ rate: config.captureRate, burst: config.captureBurst }) : null;
  }

  /** Whether captures are rate-limited at all (`--capture-rate 0` turns it off). */
  get limitsRate(): boolean {
    return this.#rateLimit !== null;
  }

  /**
   * Refuses a sender past its rate (429); `address` null means in-process, which is never limited.
   * `headers` (for the refusal) is a function so that an admitted capture never works them out.
   */
  checkRate(address: string | null, headers: () => Record<string, string>): void {
    const { config } = this.#deps;
    if (!this.#rateLimit || address === null || (!config.rateLimitLoopback && isLoopbackAddress(address))) return;
    const wait = this.#rateLimit.take(sourceKey(address));
    if (wait > 0) {
      throw new ApiFailure(
        429,
        'rate_limited',
        `too many requests from your address: authbin takes ${config.captureRate} a second from one address, in bursts of up to ${config.captureBurst} ` +
          `(--capture-rate, --capture-burst); nothing was stored, try again in ${wait} s`,
        { 'Retry-After': String(wait), ...headers() },
      );
    }
  }

  /** Makes sure the bin exists, creating it within `--max-bins`; refuses with 404 past it, 503 when storage fails. */
  async admitBin(bin: string, headers: () => Record<string, string>): Promise<void> {
    const { store, config } = this.#deps;
    let admitted: boolean;
    try {
      admitted = await store.admitBin(bin, config.maxBins);
    } catch (error) {
      console.error(`authbin: could not create bin ${bin} for a capture: ${(error as Error).message}`);
      throw new ApiFailure(503, 'storage_unavailable', 'authbin could not store this request right now; try again shortly', { 'Retry-After': '5' });
    }
    if (!admitted) {
      throw new ApiFailure(
        404,
        'bin_limit',
        `no bin named "${bin}", and captures may not create more: this authbin holds its limit of ${config.maxBins} bins ` +
          '(--max-bins or AUTHBIN_MAX_BINS raises it). Nothing was stored. Captures to existing bins work as before, ' +
          'and so does a bin created through the API (POST /api/bins) or the UI.',
        headers(),
      );
    }
  }
}

/** Capture admission as middleware for the capture route: sets the capture target it read. */
export function captureAdmission(admission: CaptureAdmission, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (admission.limitsRate) admission.checkRate(senderOf(c, trustProxy).address, () => closeIfBodyUnread(c));
    const target = captureTargetOf(c);
    c.set('captureTarget', target);
    // An invalid bin name is the capture route's to refuse.
    if (target) await admission.admitBin(target.bin, () => closeIfBodyUnread(c));
    return next();
  };
}

/** The capture target of a request, from the raw target Node read (or the URL, in-process). */
function captureTargetOf(c: Context<AppEnv>): CaptureTarget | undefined {
  const raw = c.env?.incoming?.url;
  if (raw !== undefined) return parseCaptureTarget(raw);
  const url = new URL(c.req.url);
  return parseCaptureTarget(url.pathname + url.search);
}

/** A refused request's body is left unread: closing the connection spares reading it to reach the next request. */
function closeIfBodyUnread(c: Context<AppEnv>): Record<string, string> {
  const headers = c.env?.incoming?.headers;
  const hasBody = headers ? (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined : false;
  return hasBody ? { Connection: 'close' } : {};
}
