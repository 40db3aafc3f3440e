/** Types of the Authorization analysis: the JSON shape of `POST /api/analyze` and of `analysis` in a request's detail. */

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: string;
  severity: Severity;
  /** Plain English a support engineer could paste to a customer. */
  message: string;
  /** What to do about it. */
  fix?: string;
}

export type HeaderPair = [name: string, value: string];

export type Expected =
  | { kind: 'password'; email: string; password: string }
  | { kind: 'api-token'; email: string; token: string }
  | { kind: 'oauth'; token: string }
  | { kind: 'api-key'; header: string; value: string }
  | { kind: 'header'; value: string };

export interface BasicCredentials {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';
  decoded: string;
  user: string;
  secret: string;
  kind: 'password' | 'api-token';
  email: string;
}

export interface JwtInfo {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  issuedAt?: string;
  expiresAt?: string;
  expired?: boolean;
}

export interface BearerCredentials {
  token: string;
  jwt?: JwtInfo;
}

export type DifferencePart = 'scheme' | 'email' | 'token-suffix' | 'secret' | 'value';

export interface Comparison {
  match: boolean;
  differences: { part: DifferencePart; message: string }[];
}

export interface AnalyzeInput {
  /** Headers as captured: original names, order and duplicates. */
  headers: HeaderPair[];
  /** Full URL or path with query, to spot credentials in the URL. */
  url?: string;
  /** Body as text, to spot credentials in JSON or form fields. */
  body?: string;
  contentType?: string;
  expected?: Expected;
  /** Clock for JWT expiry checks, in ms since the epoch. */
  now?: number;
}

export interface Analysis {
  present: boolean;
  scheme: 'basic' | 'bearer' | 'other' | null;
  schemeRaw: string | null;
  basic?: BasicCredentials;
  bearer?: BearerCredentials;
  findings: Finding[];
  comparison?: Comparison;
}
