import { characterName, findPastedCharacters, withoutPastedCharacters } from '../auth/characters.ts';
import { secretLabel } from '../auth/credentials.ts';
import type { FindingCode } from '../auth/findings.ts';
import { isAuthorizationName } from '../auth/header-name.ts';
import { readAuthorization, type AuthorizationReading } from '../auth/read-authorization.ts';
import type { BasicCredentials, Finding, HeaderPair } from '../auth/types.ts';
import type { AuthorizationComparison } from './types.ts';

type Side = 'A' | 'B';

// How a header carrying the same credentials can be spelt differently, by the finding that notices it.
const spellings: [code: FindingCode, phrase: string][] = [
  ['missing-padding', "lacks the base64 '=' padding"],
  ['base64url', 'uses the base64url alphabet'],
  ['whitespace', 'has extra spaces or line breaks in the header value'],
  ['quoted', 'wraps the credentials in quotes'],
  ['doubled-scheme', 'repeats the scheme'],
  ['invalid-base64', 'is not valid base64 as sent'],
  ['double-encoded', 'is base64-encoded twice'],
  ['scheme-case', 'writes the scheme in unusual letter case'],
];

const encodingNames: Record<BasicCredentials['encoding'], string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16 (big-endian)', latin1: 'ISO-8859-1 (Latin-1)' };

// What a person meant to type: no line break at the end, no pasted characters, no surrounding spaces.
function meant(text: string): string {
  return withoutPastedCharacters(text.replace(/\r?\n$/, '')).trim();
}

// Why `text` is not what was meant, e.g. "ends with a line break"; called only when they differ.
function slip(text: string): string {
  if (text.endsWith('\r\n')) return 'ends with a Windows line break (\\r\\n)';
  if (text.endsWith('\n')) return 'ends with a line break';
  const pasted = findPastedCharacters(text)[0];
  if (pasted) return `has an invisible ${characterName(pasted.codePoint)} at character ${pasted.position}`;
  return 'has spaces around it';
}

function firstDifference(a: string, b: string): number | null {
  if (a === b) return null;
  const x = [...a];
  const y = [...b];
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i + 1;
}

function characters(text: string): string {
  const n = [...text].length;
  return `${n} character${n === 1 ? '' : 's'}`;
}

/** Sentences on two values of one part; `secret` ones never show the value. */
function partDifference(label: string, a: string, b: string, secret: boolean): { slips: string[]; differences: string[] } {
  if (a === b) return { slips: [], differences: [] };
  if (meant(a) === meant(b)) {
    const slips = ([['A', a], ['B', b]] as const).filter(([, value]) => value !== meant(value)).map(([side, value]) => `${side}'s ${label} ${slip(value)}`);
    return { slips, differences: [] };
  }
  if (!secret) return { slips: [], differences: [`Different ${label}s: A sends ${JSON.stringify(a)}, B sends ${JSON.stringify(b)}`] };
  const lengths = [...a].length === [...b].length ? `both are ${characters(a)}` : `A's is ${characters(a)}, B's ${characters(b)}`;
  return { slips: [], differences: [`Different ${label}s: ${lengths}; they first differ at character ${firstDifference(a, b)}`] };
}

function spellingDifferences(ra: AuthorizationReading, rb: AuthorizationReading): string[] {
  const codes = (r: AuthorizationReading) => new Set(r.findings.map((f) => f.code));
  const [ca, cb] = [codes(ra), codes(rb)];
  const out: string[] = [];
  const caseOnly = ra.parsed.schemeRaw !== rb.parsed.schemeRaw && ra.parsed.schemeRaw?.toLowerCase() === rb.parsed.schemeRaw?.toLowerCase();
  for (const [code, phrase] of spellings) {
    // Two schemes in different letter case are shown side by side below, which says more.
    if (code === 'scheme-case' && caseOnly) continue;
    if (ca.has(code) && !cb.has(code)) out.push(`A ${phrase}`);
    if (cb.has(code) && !ca.has(code)) out.push(`B ${phrase}`);
  }
  if (caseOnly) out.push(`A writes the scheme "${ra.parsed.schemeRaw}", B "${rb.parsed.schemeRaw}"`);
  return out;
}

function credentialDifferences(ra: AuthorizationReading, rb: AuthorizationReading): { slips: string[]; differences: string[]; first: number | null } {
  const schemeA = ra.parsed.meant ?? ra.parsed.scheme;
  const schemeB = rb.parsed.meant ?? rb.parsed.scheme;
  if (schemeA !== schemeB) {
    return { slips: [], differences: [`Different schemes: A sends "${ra.parsed.schemeRaw ?? 'none'}", B sends "${rb.parsed.schemeRaw ?? 'none'}"`], first: null };
  }
  const a = ra.basic;
  const b = rb.basic;
  if (a && b) {
    const email = partDifference('email', a.email, b.email, false);
    const label = a.kind === b.kind ? secretLabel(a.kind) : 'secret';
    const secret = partDifference(label, a.secret, b.secret, true);
    const kinds = a.kind === b.kind ? [] : [`Different logins: A logs in with ${a.kind === 'api-token' ? 'an API token (email/token)' : 'a password'}, B with ${b.kind === 'api-token' ? 'an API token (email/token)' : 'a password'}`];
    const encoding = a.encoding === b.encoding ? [] : [`different encoding: A is ${encodingNames[a.encoding]}, B is ${encodingNames[b.encoding]}`];
    return { slips: [...email.slips, ...secret.slips, ...encoding], differences: [...email.differences, ...kinds, ...secret.differences], first: firstDifference(a.secret, b.secret) };
  }
  const tokenA = ra.bearer?.token ?? ra.parsed.rawCredentials;
  const tokenB = rb.bearer?.token ?? rb.parsed.rawCredentials;
  const token = partDifference(schemeA === 'bearer' ? 'token' : 'credential', tokenA, tokenB, true);
  return { ...token, first: firstDifference(tokenA, tokenB) };
}

function onlyIn(mine: AuthorizationReading | undefined, other: AuthorizationReading | undefined): Finding[] {
  const theirs = new Set(other?.findings.map((f) => f.code) ?? []);
  return (mine?.findings ?? []).filter((f) => !theirs.has(f.code)).map(({ code, severity, message, fix }) => ({ code, severity, message, ...(fix !== undefined && { fix }) }));
}

/**
 * Compares two requests' Authorization headers by what they mean: the same credentials spelt
 * differently (scheme case, padding, encoding), or alike-looking ones that differ by a line break
 * or an invisible character, said in plain sentences that never show a secret.
 *
 * @example
 * compareAuthorization([['Authorization', 'Basic bWU6cHc=']], [['authorization', 'basic bWU6cHcK']], 0).summary;
 * // ["Same credentials, but B's password ends with a line break"]
 */
export function compareAuthorization(headersA: readonly HeaderPair[], headersB: readonly HeaderPair[], now: number): AuthorizationComparison {
  const valuesA = headersA.filter(([name]) => isAuthorizationName(name)).map(([, value]) => value);
  const valuesB = headersB.filter(([name]) => isAuthorizationName(name)).map(([, value]) => value);
  const ra = valuesA[0] === undefined ? undefined : readAuthorization(valuesA[0], now);
  const rb = valuesB[0] === undefined ? undefined : readAuthorization(valuesB[0], now);
  const same = valuesA.length === valuesB.length && valuesA.every((v, i) => v === valuesB[i]);
  const result: AuthorizationComparison = { same, summary: [], firstDifference: null, onlyInA: onlyIn(ra, rb), onlyInB: onlyIn(rb, ra) };
  if (!ra || !rb) {
    if (ra || rb) result.summary.push(`Only ${ra ? 'A' : 'B'} sends an Authorization header`);
    return result;
  }
  if (valuesA[0] !== valuesB[0]) {
    const { slips, differences, first } = credentialDifferences(ra, rb);
    result.firstDifference = first;
    if (differences.length > 0) result.summary.push(...differences);
    else if (slips.length > 0) result.summary.push(`Same credentials, but ${slips.join(', and ')}`);
    else {
      const spelt = spellingDifferences(ra, rb);
      result.summary.push(`Same credentials, written differently${spelt.length > 0 ? `: ${spelt.join('; ')}` : ''}`);
    }
  }
  for (const [side, count] of [['A', valuesA.length], ['B', valuesB.length]] as [Side, number][]) {
    if (count > 1 && valuesA.length !== valuesB.length) result.summary.push(`${side} sends ${count} Authorization headers; a server reads only one of them`);
  }
  return result;
}
