import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';

type Decoder = (bytes: Buffer, maxOutputLength: number) => Promise<Buffer>;

// Each chunk of output is one round trip to the thread pool: zlib's 16 KiB default makes a
// limit-sized bomb cost thousands of them.
const chunkSize = 256 * 1024;

/** Node's async zlib: the work runs on the thread pool, and it stops once the output passes the limit. */
function onThreadPool(decode: typeof gunzip): Decoder {
  return (bytes, maxOutputLength) =>
    new Promise((resolve, reject) => decode(bytes, { maxOutputLength, chunkSize }, (error, out) => (error ? reject(error) : resolve(out))));
}

const gunzipLimited = onThreadPool(gunzip);
const inflateLimited = onThreadPool(inflate);
const inflateRawLimited = onThreadPool(inflateRaw);
const brotliLimited: Decoder = (bytes, maxOutputLength) =>
  new Promise((resolve, reject) => brotliDecompress(bytes, { maxOutputLength, chunkSize }, (error, out) => (error ? reject(error) : resolve(out))));

/** A zlib header (RFC 1950): deflate method, checksum of its two bytes a multiple of 31. */
const hasZlibHeader = (bytes: Buffer) => bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;

const decoders: Record<string, Decoder> = {
  gzip: gunzipLimited,
  'x-gzip': gunzipLimited,
  // HTTP's deflate is zlib-wrapped, but some senders send raw deflate: both are read.
  deflate: (bytes, max) => (hasZlibHeader(bytes) ? inflateLimited : inflateRawLimited)(bytes, max),
  br: brotliLimited,
};

const supportedCodings = Object.keys(decoders);

/** The output limit was passed: `limit` is the number of bytes allowed. */
export class DecodedTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`decoding produces more than ${limit} bytes`);
  }
}

/** A coding authbin cannot undo, or bytes that are not what the coding says. */
export class UndecodableBody extends Error {
  constructor(
    readonly reason: 'unsupported' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The content codings of `Content-Encoding` values, in the order the sender applied them
 * (`gzip, br`: gzip first), without `identity`.
 *
 * @example
 * contentCodings(['gzip, BR']) // ['gzip', 'br']
 */
export function contentCodings(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * Undoes `codings` (as `contentCodings` lists them) off the event loop. `limit` bounds every byte
 * the decoders produce, each layer of a stacked encoding included, so neither a bomb nor a
 * stack of them can make the server hold or inflate more than that.
 */
export async function decodeBody(bytes: Buffer, codings: string[], limit: number): Promise<Buffer> {
  for (const coding of codings) {
    if (!decoders[coding]) throw new UndecodableBody('unsupported', `cannot decode Content-Encoding "${coding}": ${supportedCodings.join(', ')} are supported`);
  }
  let budget = limit;
  let out = bytes;
  for (const coding of codings.toReversed()) {
    try {
      // maxOutputLength must be at least 1; an empty output still fits a spent budget.
      out = await decoders[coding]!(out, Math.max(budget, 1));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DecodedTooLarge(limit);
      throw new UndecodableBody('invalid', `the body is not valid ${coding}: ${(error as Error).message}`);
    }
    budget -= out.length;
    if (budget < 0) throw new DecodedTooLarge(limit);
  }
  return out;
}
