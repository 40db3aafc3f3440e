/** Case-insensitive access to captured headers that keeps the names as sent. */
import type { HeaderPair } from './types.ts';

export interface HeaderField {
  /** The name as the sender wrote it. */
  name: string;
  /** Every value, in order, when the header was sent more than once. */
  values: string[];
}

export interface HeaderView {
  get(name: string): HeaderField | undefined;
  /** The first value, or undefined when absent. */
  value(name: string): string | undefined;
  has(name: string): boolean;
}

/** @example headerView([['X-Hub-Signature', 'sha1=…']]).value('x-hub-signature') // 'sha1=…' */
export function headerView(headers: HeaderPair[]): HeaderView {
  const fields = new Map<string, HeaderField>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const field = fields.get(key);
    if (field) field.values.push(value);
    else fields.set(key, { name, values: [value] });
  }
  return {
    get: (name) => fields.get(name.toLowerCase()),
    value: (name) => fields.get(name.toLowerCase())?.values[0],
    has: (name) => fields.has(name.toLowerCase()),
  };
}
