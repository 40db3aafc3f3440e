/**
 * The filter of a bin's request list, as the API takes it (`GET /api/bins/{bin}/requests?q=…`) and as the
 * page's own URL carries it, so a filtered view can be reloaded and shared.
 */
export interface RequestFilter {
  /** Words, each the start of a word in the path, query, headers or body text. */
  q?: string;
  /** An HTTP method, e.g. `POST`. */
  method?: string;
  /** `Name` or `Name:value` (value contained, case-insensitive). */
  header?: string;
  /** An Authorization finding code, e.g. `utf16`. */
  finding?: string;
  /** A signature scheme (`zendesk`) or status (`unverified`, `malformed`). */
  signature?: string;
}

export const FILTER_KEYS = ['q', 'method', 'header', 'finding', 'signature'] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];

/** The filter in a query string's parameters; blank values are left out, the method is upper-cased. */
export function filterFromQuery(query: Readonly<Partial<Record<FilterKey, string>>>): RequestFilter {
  const filter: RequestFilter = {};
  for (const key of FILTER_KEYS) {
    const value = query[key]?.trim();
    if (value) filter[key] = key === 'method' ? value.toUpperCase() : value;
  }
  return filter;
}

/** The filter as query parameters, in a fixed order so the same filter always gives the same URL. */
export function filterParams(filter: RequestFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key]?.trim();
    if (value) params.set(key, value);
  }
  return params;
}

/** `?q=…&method=…`, or '' for no filter: what follows a page's path. */
export function filterSearch(filter: RequestFilter): string {
  const text = filterParams(filter).toString();
  return text ? `?${text}` : '';
}

export function isFilterActive(filter: RequestFilter): boolean {
  return FILTER_KEYS.some((key) => !!filter[key]?.trim());
}
