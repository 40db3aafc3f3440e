/** A body read from an import: its first bytes (at most the cap) and the length of all of it. */
export interface ImportedBody {
  bytes: Buffer;
  /** Bytes the whole body decodes to, however many were kept. */
  length: number;
}

const base64Run = /^[A-Za-z0-9+/]*=*$/;

/**
 * Decodes base64 that arrives in pieces, keeping only the first `cap` bytes and counting the
 * rest, so an imported body of any size costs memory in proportion to the cap.
 */
export class Base64Body {
  readonly #keepChars: number;
  #kept: string[] = [];
  #keptChars = 0;
  #dataChars = 0;
  #padding = 0;
  #valid = true;

  constructor(readonly cap: number) {
    // Four characters carry three bytes: enough whole quads to cover the cap.
    this.#keepChars = Math.ceil(cap / 3) * 4;
  }

  write(text: string): void {
    if (!this.#valid || text === '') return;
    const eq = text.indexOf('=');
    const data = eq === -1 ? text.length : eq;
    // Padding ends the text: at most two "=", nothing after them.
    if (!base64Run.test(text) || (data > 0 && this.#padding > 0) || (this.#padding += text.length - data) > 2) {
      this.#valid = false;
      return;
    }
    if (this.#keptChars < this.#keepChars) {
      const keep = text.slice(0, Math.min(data, this.#keepChars - this.#keptChars));
      this.#kept.push(keep);
      this.#keptChars += keep.length;
    }
    this.#dataChars += data;
  }

  /** The body, or undefined when the text was not base64. */
  end(): ImportedBody | undefined {
    if (!this.#valid) return undefined;
    const bytes = Buffer.from(this.#kept.join(''), 'base64');
    return { bytes: bytes.length > this.cap ? bytes.subarray(0, this.cap) : bytes, length: Math.floor((this.#dataChars * 3) / 4) };
  }
}

/** A whole base64 string as an imported body capped at `cap` bytes; undefined when it is not base64. */
export function base64Body(text: string, cap: number): ImportedBody | undefined {
  const body = new Base64Body(cap);
  body.write(text);
  return body.end();
}
