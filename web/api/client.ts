import type { ApiError, Bin, BinList, BinResponse, ImportResult, ReplayInput, ReplayResult, RequestDetail, RequestPage, Session } from '../../shared/api.ts';
import type { Rule, RulesResponse } from '../../shared/rules/types.ts';
import { filterParams, type RequestFilter } from '../lib/request-filter.ts';

/** An API call that failed: the server's error code and message, or a network failure (`status` 0). */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Defaults to the browser's fetch; tests pass the server app's own request handler. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Prefix of every API path, e.g. "http://127.0.0.1:8787"; empty for the page's own origin. */
  baseUrl?: string;
  /** Called on a 401 before the error is thrown; the app sends the user to the login form. */
  onUnauthorized?: () => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export type ExportFormat = 'ndjson' | 'har';

/** A JSON body, or raw text (an import file) with its content type. */
type CallBody = { json: unknown } | { raw: string; contentType: string };

function isApiError(value: unknown): value is ApiError {
  const error = (value as ApiError | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}

/** A typed wrapper over authbin's JSON API; every method throws ApiRequestError with the server's message. */
export function createApiClient(options: ApiClientOptions = {}) {
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const base = options.baseUrl ?? '';

  async function call<T>(method: string, path: string, body?: CallBody): Promise<T> {
    let response: Response;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'json' in body ? 'application/json' : body.contentType;
    try {
      response = await doFetch(base + path, {
        method,
        credentials: 'same-origin',
        headers,
        ...(body && { body: 'json' in body ? JSON.stringify(body.json) : body.raw }),
      });
    } catch {
      throw new ApiRequestError(0, 'network', 'Cannot reach the authbin server. Is it running?');
    }
    if (response.status === 401) options.onUnauthorized?.();
    const text = await response.text();
    let data: unknown = undefined;
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }
    if (!response.ok) {
      if (isApiError(data)) throw new ApiRequestError(response.status, data.error.code, data.error.message);
      throw new ApiRequestError(response.status, 'http', `The server answered ${response.status} ${response.statusText}`.trim());
    }
    return data as T;
  }

  const bin = (id: string) => `/api/bins/${encodeURIComponent(id)}`;
  const request = (id: string) => `/api/requests/${encodeURIComponent(id)}`;

  return {
    session: () => call<Session>('GET', '/api/session'),
    /** A page of bins, latest activity first; `q` keeps those whose name holds it, `before` is the previous page's `next`. */
    listBins: (page: { limit?: number; before?: string | null; q?: string } = {}) => {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.before) query.set('before', page.before);
      if (page.q) query.set('q', page.q);
      const search = query.toString();
      return call<BinList>('GET', search ? `/api/bins?${search}` : '/api/bins');
    },
    createBin: (input: { id?: string; response?: BinResponse; forwardTo?: string } = {}) => call<Bin>('POST', '/api/bins', { json: input }),
    getBin: (id: string) => call<Bin>('GET', bin(id)),
    setBinResponse: (id: string, response: BinResponse | null) => call<Bin>('PATCH', bin(id), { json: { response } }),
    /** Where the server relays each capture of the bin; null stops relaying. */
    setBinForward: (id: string, forwardTo: string | null) => call<Bin>('PATCH', bin(id), { json: { forwardTo } }),
    /** The bin's rules in order, secrets masked (last 4 characters and length), with how often each answered. */
    getRules: (id: string) => call<RulesResponse>('GET', `${bin(id)}/rules`),
    /** Replaces the bin's rules, all or none; a secret sent back masked keeps the one stored. */
    setRules: (id: string, rules: Rule[]) => call<RulesResponse>('PUT', `${bin(id)}/rules`, { json: { rules } }),
    /** Sets every rule's counter back to 0. */
    resetRules: (id: string) => call<RulesResponse>('POST', `${bin(id)}/rules/reset`),
    deleteBin: (id: string) => call<unknown>('DELETE', bin(id)),
    /** A page of a bin's requests, newest first, only those matching `filter` when one is given. */
    listRequests: (binId: string, page: { limit?: number; before?: string | null; filter?: RequestFilter } = {}) => {
      const query = filterParams(page.filter ?? {});
      query.set('limit', String(page.limit ?? 50));
      if (page.before) query.set('before', page.before);
      return call<RequestPage>('GET', `${bin(binId)}/requests?${query}`);
    },
    /** A download of every request in the bin (served as an attachment). */
    exportUrl: (binId: string, format: ExportFormat) => `${base}${bin(binId)}/export?format=${format}`,
    /** Stores the requests of an NDJSON or HAR export in the bin; all or none. */
    importRequests: (binId: string, text: string) => call<ImportResult>('POST', `${bin(binId)}/import`, { raw: text, contentType: 'application/octet-stream' }),
    clearBin: (binId: string) => call<unknown>('DELETE', `${bin(binId)}/requests`),
    getRequest: (id: string) => call<RequestDetail>('GET', request(id)),
    deleteRequest: (id: string) => call<unknown>('DELETE', request(id)),
    replay: (id: string, input: ReplayInput) => call<ReplayResult>('POST', `${request(id)}/replay`, { json: input }),
    /** The raw body download (served as an attachment, never inline). */
    bodyUrl: (id: string) => `${base}${request(id)}/body`,
    eventsUrl: (binId: string) => `${base}${bin(binId)}/events`,
  };
}

let leavingForLogin = false;

/**
 * Sends the browser to the login form, coming back to the current page afterwards. Once only: a page refused
 * several calls at the same moment, and a second navigation would abort the first.
 */
export function redirectToLogin(): void {
  if (leavingForLogin || location.pathname === '/login') return;
  leavingForLogin = true;
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}
