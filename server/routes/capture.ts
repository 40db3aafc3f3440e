import { Hono, type Context } from 'hono';
import type { BinResponse, CaptureAck } from '../../shared/api.ts';
import type { HeaderPair } from '../../shared/auth/types.ts';
import { binNameSyntax } from '../../shared/http/bin-name.ts';
import { binHeaderProblem, isBinStatus, statusHasNoBody } from '../../shared/http/bin-response-rules.ts';
import { sessionCookie } from '../access.ts';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { captureAdmission, type CaptureAdmission } from '../capture/admission.ts';
import { discardRest } from '../capture/discard-rest.ts';
import { readCappedBody, type CappedBody } from '../capture/read-body.ts';
import { sandboxErrors, sandboxHeaders, scriptSandboxPolicy } from '../capture/sandbox.ts';
import { withoutCookie } from '../capture/session-cookie.ts';
import { senderOf } from '../capture/source-address.ts';
import { StorageFailures } from '../capture/storage-failures.ts';
import { ApiFailure, errorBody } from '../errors.ts';
import { listenerOf } from '../request-views.ts';
import { answersByRules, claimRulesOf } from '../rules/answer.ts';
import { AuthorizationReadings } from '../rules/authorization-readings.ts';
import { CredentialOutcomes } from '../rules/credential-outcomes.ts';
import { RecordedAnswers } from '../rules/recorded-answers.ts';
import { RegexTimeLimit } from '../rules/regex-time-limit.ts';
import { RuleResponses } from '../rules/rule-responses.ts';
import { ownResponseAnswer } from '../store/columns.ts';
import type { CapturedRequest, StoredRequest } from '../store/store.ts';

/**
 * `ANY /b/{bin}[/sub/path]`: records the request as it arrived (less authbin's own login cookie),
 * then answers as the bin is set to, always sandboxed.
 */
export function captureRoutes({ store, config }: AppDeps, relay: (request: StoredRequest) => void, admission: CaptureAdmission) {
  const storageFailures = new StorageFailures();
  const listener = listenerOf(config);
  const regexes = new RegexTimeLimit();
  const readings = new AuthorizationReadings();
  const recorded = new RecordedAnswers();
  const credentialOutcomes = new CredentialOutcomes();
  const ruleResponses = new RuleResponses();
  return new Hono<AppEnv>().use(sandboxErrors).use(captureAdmission(admission, config.trustProxy)).all('/*', async (c) => {
    const receivedAt = Date.now();
    const incoming = c.env?.incoming;
    // Read by capture admission, which runs before this route.
    const target = c.get('captureTarget');
    if (!target) {
      throw new ApiFailure(404, 'bad_bin', `no such bin: a bin name is ${binNameSyntax}, as in /b/my-bin`);
    }
    const { body, size, truncated } = incoming
      ? await readCappedBody(incoming, config.maxBodyBytes).catch((error: Error) => {
          // The client went away mid-body: nothing was acknowledged, nothing is stored.
          throw new ApiFailure(400, 'incomplete_body', error.message);
        })
      : await readFetchBody(c.req.raw, config.maxBodyBytes);
    const { remoteAddress, remotePort } = remoteOf(c, config.trustProxy);
    const headers = incoming ? pairs(incoming.rawHeaders) : [...c.req.raw.headers];
    // Spelled out rather than spread: V8 builds a literal of known shape much faster, on every capture.
    const request: CapturedRequest = {
      bin: target.bin,
      path: target.path,
      query: target.query,
      receivedAt,
      method: c.req.method,
      httpVersion: incoming?.httpVersion ?? '1.1',
      remoteAddress,
      remotePort,
      headers: headerOf(c, 'cookie')?.includes(sessionCookie) ? withoutCookie(headers, sessionCookie) : headers,
      body,
      bodySize: size,
      truncated,
    };
    // Read once: the response sent is the one recorded with the capture, even if the bin changes meanwhile.
    const binResponse = await store.binResponse(target.bin);
    // authbin answers a truncated body and a preflight itself; any other capture its bin's rules may
    // answer, chosen now and claimed as it is stored.
    const answersItself = truncated || isPreflight(c);
    const ruled = answersItself ? null : await answersByRules(store, request, listener, regexes, readings, credentialOutcomes);
    if (ruled) claimRulesOf(request, ruled, binResponse, recorded);
    else if (binResponse && !answersItself) request.storedAnswer = ownResponseAnswer(isBinStatus(binResponse.status) ? binResponse.status : 200);
    let stored: StoredRequest;
    try {
      stored = await store.capture(request);
    } catch (error) {
      storageFailures.failed(target.bin, error as Error);
      throw new ApiFailure(503, 'storage_unavailable', 'authbin could not store this request right now; try again shortly', { 'Retry-After': '5' });
    }
    storageFailures.stored();
    const id = stored.id;
    // Outside the try: the request is committed, and a 503 now would have the sender store it twice. The relay logs its own failures.
    relay(stored);

    const answer = answerHeaders(c);
    if (truncated) {
      if (incoming) discardRest(incoming, config.maxBodyBytes);
      return c.json(
        errorBody('body_too_large', `the body is larger than ${config.maxBodyBytes} bytes; its first ${config.maxBodyBytes} bytes were stored as request ${id}`),
        413,
        answer,
      );
    }
    if (isPreflight(c)) return preflightResponse(c, answer);

    const answeredBy = ruled && stored.answeredBy !== null && stored.answeredBy !== undefined ? ruled.candidates[stored.answeredBy]! : null;
    const custom = answeredBy ? ruleResponses.of(answeredBy, binResponse, stored) : binResponse;
    if (custom?.delayMs) await new Promise((resolve) => setTimeout(resolve, custom.delayMs));
    return custom ? customResponse(c, custom, answer) : ackResponse(id, answer);
  });
}

/** `rawHeaders` is a flat [name, value, name, value…] list. */
function pairs(rawHeaders: string[]): HeaderPair[] {
  const result: HeaderPair[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) result.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return result;
}

async function readFetchBody(request: Request, cap: number): Promise<CappedBody> {
  const bytes = Buffer.from(await request.arrayBuffer());
  return { body: bytes.subarray(0, cap), size: bytes.length, truncated: bytes.length > cap };
}

/**
 * A request header, read from Node's own parsed headers when there are some: going through
 * `c.req.header` would build a whole fetch `Headers` object on every capture.
 */
function headerOf(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = c.env?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function remoteOf(c: Context<AppEnv>, trustProxy: boolean): { remoteAddress: string | null; remotePort: number | null } {
  const { address, forwarded } = senderOf(c, trustProxy);
  return { remoteAddress: address, remotePort: forwarded ? null : (c.env?.incoming?.socket?.remotePort ?? null) };
}

function isPreflight(c: Context<AppEnv>): boolean {
  return c.req.method === 'OPTIONS' && headerOf(c, 'access-control-request-method') !== undefined;
}

/** The sandbox, and CORS: browsers may send to a bin from any page, with or without credentials. */
function answerHeaders(c: Context<AppEnv>): Record<string, string> {
  const origin = headerOf(c, 'origin');
  return origin
    ? { ...sandboxHeaders, 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Expose-Headers': '*', Vary: 'Origin' }
    : { ...sandboxHeaders, 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': '*' };
}

/**
 * The usual answer, with its headers as a plain object: @hono/node-server writes those straight
 * to the socket, where `c.json` with more than one header builds a fetch `Headers` on every capture.
 */
function ackResponse(id: string, answer: Record<string, string>): Response {
  answer['Content-Type'] = 'application/json';
  return new Response(JSON.stringify({ ok: true, id } satisfies CaptureAck), { status: 200, headers: answer });
}

function preflightResponse(c: Context<AppEnv>, answer: Record<string, string>): Response {
  const headers: Record<string, string> = {
    ...answer,
    'Access-Control-Allow-Methods': headerOf(c, 'access-control-request-method')!,
    'Access-Control-Max-Age': '600',
  };
  const asked = headerOf(c, 'access-control-request-headers');
  if (asked) headers['Access-Control-Allow-Headers'] = asked;
  return c.body(null, 204, headers);
}

function customResponse(c: Context<AppEnv>, custom: BinResponse, answer: Record<string, string>): Response {
  // Settings stored by an older authbin were checked by older rules: what would not pass now is
  // left out (the default status, a header skipped), never a failed answer to every capture.
  const status = isBinStatus(custom.status) ? custom.status : 200;
  // A plain object, as in ackResponse: @hono/node-server writes it as it is, where a fetch Headers is rebuilt.
  const headers = answer;
  for (const [name, value] of Object.entries(custom.headers ?? {})) {
    if (binHeaderProblem(name, value, sessionCookie) === null) setHeader(headers, name, value);
  }
  if (custom.allowScripts === true) setHeader(headers, 'Content-Security-Policy', scriptSandboxPolicy);
  const body = custom.body ?? '';
  const noBody = c.req.method === 'HEAD' || statusHasNoBody(status);
  // A body without a type is text, an empty one sent too (as fetch's Response had it).
  if ((body !== '' || !noBody) && headerName(headers, 'content-type') === undefined) headers['Content-Type'] = 'text/plain; charset=utf-8';
  return new Response(noBody ? null : body, { status, headers });
}

/** The name a header is set under in `headers`, in whatever letter case. */
function headerName(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const name in headers) if (name.toLowerCase() === lowerName) return name;
  return undefined;
}

/** Sets a header, replacing one of the same name in another letter case, as fetch's Headers does. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const present = headerName(headers, name.toLowerCase());
  if (present !== undefined && present !== name) delete headers[present];
  headers[name] = value;
}
