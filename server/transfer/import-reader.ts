import { Base64Body } from './base64-body.ts';

/** What an import file holds, read piece by piece. */
export type ImportPiece =
  /** One NDJSON line, parsed; its base64 body strings (`body`, `bodyBase64`) read aside, capped. */
  | { kind: 'record'; line: number; value: unknown; bodies: Map<string, Base64Body> }
  /** A HAR file, whole (HAR's root object holds only `log`). */
  | { kind: 'har'; value: unknown }
  /** Text that is not JSON, at `line`. */
  | { kind: 'invalid'; line: number; message: string };

/** The most an NDJSON line may hold besides its body: headers and the like are small. */
export const maxRecordBytes = 4 * 1024 * 1024;

const quote = 0x22;
const backslash = 0x5c;
const newline = 0x0a;
const divertedKeys = new Set(['body', 'bodyBase64']);
const simpleEscapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Splits an import into NDJSON records as its bytes arrive, without holding a line's body: the
 * characters of a top-level `body`/`bodyBase64` string go to a Base64Body (which keeps at most
 * `cap` bytes) and the rest of the line is parsed as JSON. A file whose first key is `log` is a
 * HAR, kept whole and parsed at the end.
 */
export class ImportReader {
  #mode: 'unknown' | 'ndjson' | 'har' = 'unknown';
  #line = 1;
  #recordLine = 1;
  #parts: Buffer[] = [];
  #partBytes = 0;
  #depth = 0;
  #inString = false;
  #escape = false;
  #expectKey = false;
  #key: number[] | null = null;
  #lastKey = '';
  #afterColon = false;
  #bodies = new Map<string, Base64Body>();
  /** The body string being read aside, and a `\…` escape cut by a chunk boundary. */
  #diverted: Base64Body | null = null;
  #pendingEscape: string | null = null;
  #atStart = true;

  constructor(readonly cap: number) {}

  /** What the import turned out to be, once its first key is read. */
  get format(): 'unknown' | 'ndjson' | 'har' {
    return this.#mode;
  }

  push(chunk: Buffer): ImportPiece[] {
    if (this.#mode === 'har') {
      this.#keep(chunk);
      return [];
    }
    const pieces: ImportPiece[] = [];
    let start = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.#diverted) {
        i = this.#readDiverted(chunk, i);
        if (!this.#diverted) {
          start = i;
          // The closing quote goes to the line's text, and is not read as an opening one.
          if (chunk[i] === quote) i++;
        }
        continue;
      }
      const byte = chunk[i]!;
      if (byte === newline) {
        this.#line++;
        // Each NDJSON line is a record; until the first key shows the format, a line may be part of a HAR.
        if (this.#mode === 'ndjson' || (this.#depth === 0 && !this.#inString)) {
          this.#keep(chunk.subarray(start, i));
          pieces.push(...this.#endRecord());
          start = ++i;
          continue;
        }
      } else if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (byte === backslash) this.#escape = true;
        else if (byte === quote) {
          this.#inString = false;
          if (this.#key && this.#endKey()) {
            // A HAR: kept whole from here on.
            this.#keep(chunk.subarray(start));
            return pieces;
          }
        }
        if (this.#key && this.#inString && this.#key.length <= 16) this.#key.push(byte);
      } else if (byte === quote) {
        if (this.#depth === 1 && this.#afterColon && this.#mode === 'ndjson' && divertedKeys.has(this.#lastKey)) {
          this.#afterColon = false;
          this.#keep(chunk.subarray(start, i + 1));
          this.#diverted = new Base64Body(this.cap);
          this.#bodies.set(this.#lastKey, this.#diverted);
          i++;
          continue;
        }
        this.#inString = true;
        this.#afterColon = false;
        if (this.#depth === 1 && this.#expectKey) {
          this.#key = [];
          this.#expectKey = false;
        }
      } else if (byte === 0x7b || byte === 0x5b) {
        if (this.#depth++ === 0 && byte === 0x7b) this.#expectKey = true;
        this.#afterColon = false;
      } else if (byte === 0x7d || byte === 0x5d) {
        this.#depth = Math.max(0, this.#depth - 1);
        this.#afterColon = false;
      } else if (this.#depth === 1 && byte === 0x2c) {
        this.#expectKey = true;
        this.#afterColon = false;
      } else if (this.#depth === 1 && byte === 0x3a) {
        this.#afterColon = true;
      } else if (byte > 0x20) {
        this.#afterColon = false;
      }
      i++;
    }
    if (!this.#diverted) this.#keep(chunk.subarray(start));
    return pieces;
  }

  end(): ImportPiece[] {
    if (this.#mode === 'har') {
      const text = this.#text();
      try {
        return [{ kind: 'har', value: JSON.parse(text) }];
      } catch (error) {
        return [{ kind: 'invalid', line: 1, message: `not valid JSON (${(error as Error).message})` }];
      }
    }
    return this.#endRecord();
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#parts.push(bytes);
    this.#partBytes += bytes.length;
    if (this.#mode !== 'har' && this.#partBytes > maxRecordBytes) {
      throw new RecordTooLarge(`line ${this.#recordLine}: more than ${maxRecordBytes} bytes besides its body`);
    }
  }

  #text(): string {
    let text = Buffer.concat(this.#parts).toString('utf8');
    this.#parts = [];
    this.#partBytes = 0;
    // A byte order mark, as a text editor may save one.
    if (this.#atStart) text = text.replace(/^\ufeff/, '');
    this.#atStart = false;
    return text;
  }

  /** Ends a key of the top-level object; true when it shows the file is a HAR. */
  #endKey(): boolean {
    const key = Buffer.from(this.#key!).toString('utf8');
    this.#key = null;
    this.#lastKey = key;
    if (this.#mode !== 'unknown') return false;
    this.#mode = key === 'log' ? 'har' : 'ndjson';
    return this.#mode === 'har';
  }

  #endRecord(): ImportPiece[] {
    const line = this.#recordLine;
    const text = this.#text();
    const bodies = this.#bodies;
    this.#recordLine = this.#line;
    this.#bodies = new Map();
    this.#diverted = null;
    this.#pendingEscape = null;
    this.#depth = 0;
    this.#inString = this.#escape = this.#expectKey = this.#afterColon = false;
    this.#key = null;
    if (this.#mode === 'unknown' && text.trim() !== '') this.#mode = 'ndjson';
    if (text.trim() === '') return [];
    try {
      return [{ kind: 'record', line, value: JSON.parse(text), bodies }];
    } catch (error) {
      return [{ kind: 'invalid', line, message: `not valid JSON (${(error as Error).message})` }];
    }
  }

  /** Reads body characters from `i` up to the closing quote (or the chunk's end); returns where it stopped. */
  #readDiverted(chunk: Buffer, i: number): number {
    const body = this.#diverted!;
    while (i < chunk.length) {
      if (this.#pendingEscape !== null) {
        i = this.#readEscape(chunk, i, body);
        continue;
      }
      const q = chunk.indexOf(quote, i);
      const b = chunk.indexOf(backslash, i);
      const stop = [q, b, chunk.indexOf(newline, i)].filter((at) => at !== -1).reduce((a, c) => Math.min(a, c), chunk.length);
      body.write(chunk.toString('latin1', i, stop));
      if (stop === chunk.length) return stop;
      if (stop === b) {
        this.#pendingEscape = '';
        i = stop + 1;
        continue;
      }
      // The closing quote, or a line's end inside the string (which leaves the line unparseable).
      this.#diverted = null;
      return stop;
    }
    return i;
  }

  #readEscape(chunk: Buffer, i: number, body: Base64Body): number {
    const escape = this.#pendingEscape! + chunk.toString('latin1', i, i + (this.#pendingEscape!.startsWith('u') ? 5 - this.#pendingEscape!.length : 1));
    const done = escape.startsWith('u') ? escape.length === 5 : escape.length === 1;
    const end = i + escape.length - this.#pendingEscape!.length;
    if (!done) {
      this.#pendingEscape = escape;
      return end;
    }
    this.#pendingEscape = null;
    const code = escape.startsWith('u') ? Number.parseInt(escape.slice(1), 16) : NaN;
    body.write(escape.startsWith('u') ? (Number.isNaN(code) ? '\\' : String.fromCharCode(code)) : (simpleEscapes[escape] ?? '\\'));
    return end;
  }
}

export class RecordTooLarge extends Error {}
