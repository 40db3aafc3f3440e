import type { StoredBody } from '../api.ts';
import { fromBase64 } from '../signatures/bytes.ts';
import { alignPairs, type NamedDifference } from './aligned.ts';
import { diffLines, type DiffLine } from './line-diff.ts';
import { visibleText } from './visible.ts';

export interface JsonChange {
  /** `$.ticket.status`, `$.tags[0]`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** The value as JSON; absent on the side that lacks it. */
  a?: string;
  b?: string;
}

export type BodyComparison =
  | { kind: 'json'; same: boolean; sameBytes: boolean; changes: JsonChange[] }
  | { kind: 'form'; same: boolean; sameBytes: boolean; fields: NamedDifference[] }
  | { kind: 'text'; same: boolean; sameBytes: boolean; lines: DiffLine[] }
  | { kind: 'bytes'; same: boolean; sameBytes: boolean; sizes: [number, number]; firstDifference: number | null };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseJson(text: string | undefined): { value: Json } | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return { value: JSON.parse(text) as Json };
  } catch {
    return undefined;
  }
}

const plainKey = /^[A-Za-z_$][\w$]*$/;

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Objects by key (their order ignored), arrays by index, anything else by value.
function jsonChanges(a: Json, b: Json, path: string, out: JsonChange[]): void {
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) {
      const child = plainKey.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (Object.hasOwn(b, key)) jsonChanges(a[key]!, b[key]!, child, out);
      else out.push({ path: child, change: 'removed', a: JSON.stringify(a[key]) });
    }
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(a, key)) continue;
      out.push({ path: plainKey.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, change: 'added', b: JSON.stringify(b[key]) });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= b.length) out.push({ path: `${path}[${i}]`, change: 'removed', a: JSON.stringify(a[i]) });
      else if (i >= a.length) out.push({ path: `${path}[${i}]`, change: 'added', b: JSON.stringify(b[i]) });
      else jsonChanges(a[i]!, b[i]!, `${path}[${i}]`, out);
    }
    return;
  }
  const left = JSON.stringify(a);
  const right = JSON.stringify(b);
  if (left !== right) out.push({ path, change: 'changed', a: left, b: right });
}

// Lines keep their `\r` and show where each ends, so a CRLF against an LF counts and shows.
function visibleLines(text: string): string[] {
  const lines = text.split('\n').map((line, i, all) => visibleText(i < all.length - 1 ? `${line}\n` : line));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function bytesOf(body: StoredBody): Uint8Array {
  return fromBase64(body.base64) ?? new Uint8Array();
}

const formType = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Compares two stored bodies: as JSON when both parse (key order ignored, path by path), as form
 * fields when both are sent as forms, as lines of text when both are UTF-8, otherwise as bytes.
 * `sameBytes` tells a re-serialised JSON (or a reordered form) apart.
 *
 * @example
 * compareBodies(jsonBody('{"a":1,"b":2}'), jsonBody('{"b":2,"a":1}')); // { kind: 'json', same: true, sameBytes: false, changes: [] }
 */
export function compareBodies(a: StoredBody, b: StoredBody, contentTypes: [string | null, string | null] = [null, null]): BodyComparison {
  const sameBytes = a.base64 === b.base64 && a.size === b.size;
  if (a.text !== undefined && b.text !== undefined && contentTypes.every((type) => type !== null && formType.test(type))) {
    const fields = alignPairs([...new URLSearchParams(a.text)], [...new URLSearchParams(b.text)], (name) => name).entries;
    return { kind: 'form', same: fields.every((f) => f.change === 'same'), sameBytes, fields };
  }
  const jsonA = parseJson(a.text);
  const jsonB = parseJson(b.text);
  if (jsonA && jsonB) {
    const changes: JsonChange[] = [];
    jsonChanges(jsonA.value, jsonB.value, '$', changes);
    return { kind: 'json', same: changes.length === 0, sameBytes, changes };
  }
  if (a.text !== undefined && b.text !== undefined) {
    const lines = sameBytes ? visibleLines(a.text).map((text): DiffLine => ({ op: 'same', text })) : diffLines(visibleLines(a.text), visibleLines(b.text));
    return { kind: 'text', same: sameBytes, sameBytes, lines };
  }
  const left = bytesOf(a);
  const right = bytesOf(b);
  let first = 0;
  while (first < left.length && first < right.length && left[first] === right[first]) first++;
  const firstDifference = first === left.length && first === right.length ? null : first;
  return { kind: 'bytes', same: sameBytes, sameBytes, sizes: [a.size, b.size], firstDifference };
}
