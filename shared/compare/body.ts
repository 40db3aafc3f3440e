import type { StoredBody } from '../api.ts';
import { multipartBoundary, parseMultipart, type MultipartPart } from '../http/multipart.ts';
import { fromBase64, toHex } from '../signatures/bytes.ts';
import { sha256 } from '../signatures/hmac.ts';
import { alignPairs } from './aligned.ts';
import { diffLines } from './line-diff.ts';
import type { BodyComparison, ByteDifference, DiffLine, JsonChange, MultipartValue, NamedDifference } from './types.ts';
import { visibleText } from './visible.ts';

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

function sameBytesOf(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

// Web Crypto is missing from a browser on plain http (other than localhost): the hash is then left out, not made up.
async function digest(bytes: Uint8Array): Promise<string | null> {
  if (typeof globalThis.crypto?.subtle?.digest !== 'function') return null;
  return toHex(await sha256(bytes));
}

interface ReadPart {
  value: MultipartValue;
  bytes: Uint8Array;
}

async function readParts(parts: MultipartPart[]): Promise<[string, ReadPart][]> {
  return Promise.all(
    parts.map(async (part): Promise<[string, ReadPart]> => {
      const value: MultipartValue = {
        filename: part.filename,
        contentType: part.contentType,
        size: part.size,
        text: part.filename === null && part.text !== null ? visibleText(part.text) : null,
        sha256: await digest(part.bytes),
      };
      return [part.name ?? '', { value, bytes: part.bytes }];
    }),
  );
}

function samePart(x: ReadPart, y: ReadPart): boolean {
  return x.value.filename === y.value.filename && x.value.contentType === y.value.contentType && sameBytesOf(x.bytes, y.bytes);
}

async function multipartChanges(a: Uint8Array, b: Uint8Array, boundaries: [string, string]): Promise<NamedDifference<MultipartValue>[]> {
  const [left, right] = await Promise.all([readParts(parseMultipart(a, boundaries[0])), readParts(parseMultipart(b, boundaries[1]))]);
  return alignPairs(left, right, (name) => name, samePart).entries.map((entry) => ({ ...entry, a: entry.a.map((p) => p.value), b: entry.b.map((p) => p.value) }));
}

const shownBytes = 16;

function byteChanges(a: Uint8Array, b: Uint8Array): ByteDifference[] {
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  if (first === a.length && first === b.length) return [];
  return [{ offset: first, a: toHex(a.subarray(first, first + shownBytes)), b: toHex(b.subarray(first, first + shownBytes)) }];
}

const formType = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Compares two stored bodies: as form fields when both are sent as forms, as multipart fields and files
 * (by name; files by name, type, size and SHA-256) when both are multipart, as JSON when both parse (key
 * order ignored, path by path), as lines of text when both are UTF-8, otherwise as bytes.
 * `sameBytes` tells a re-serialised JSON (or a reordered form, another multipart boundary) apart.
 *
 * @example
 * await compareBodies(jsonBody('{"a":1,"b":2}'), jsonBody('{"b":2,"a":1}')); // { kind: 'json', same: true, sameBytes: false, changes: [] }
 */
export async function compareBodies(a: StoredBody, b: StoredBody, contentTypes: [string | null, string | null] = [null, null]): Promise<BodyComparison> {
  const sameBytes = a.base64 === b.base64 && a.size === b.size;
  if (a.text !== undefined && b.text !== undefined && contentTypes.every((type) => type !== null && formType.test(type))) {
    const changes = alignPairs([...new URLSearchParams(a.text)], [...new URLSearchParams(b.text)], (name) => name).entries;
    return { kind: 'form', same: changes.every((f) => f.change === 'same'), sameBytes, changes };
  }
  const boundaries = contentTypes.map(multipartBoundary);
  if (boundaries[0] && boundaries[1]) {
    const changes = await multipartChanges(bytesOf(a), bytesOf(b), [boundaries[0], boundaries[1]]);
    return { kind: 'multipart', same: changes.every((f) => f.change === 'same'), sameBytes, changes };
  }
  const jsonA = parseJson(a.text);
  const jsonB = parseJson(b.text);
  if (jsonA && jsonB) {
    const changes: JsonChange[] = [];
    jsonChanges(jsonA.value, jsonB.value, '$', changes);
    return { kind: 'json', same: changes.length === 0, sameBytes, changes };
  }
  if (a.text !== undefined && b.text !== undefined) {
    const changes = sameBytes ? visibleLines(a.text).map((text): DiffLine => ({ op: 'same', text })) : diffLines(visibleLines(a.text), visibleLines(b.text));
    return { kind: 'text', same: sameBytes, sameBytes, changes };
  }
  return { kind: 'bytes', same: sameBytes, sameBytes, sizes: [a.size, b.size], changes: byteChanges(bytesOf(a), bytesOf(b)) };
}
