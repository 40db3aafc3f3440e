import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { contentCodings, DecodedTooLarge, decodeBody, UndecodableBody } from '../decode-body.ts';
import { ApiFailure } from '../errors.ts';
import { SIGNATURE_SCHEMES, isSignatureScheme, verifySignatures } from '../../shared/signatures/index.ts';
import type { VerifyResult } from '../../shared/api.ts';
import { displayHeaders, listenerOf, signatureInput, toDetail } from '../request-views.ts';
import { answerOf } from '../rules/answer-of.ts';
import { isObject, jsonBody, requestId } from './validate.ts';

const mib = 1024 * 1024;

export function requestRoutes({ store, config }: AppDeps) {
  const listener = listenerOf(config);
  async function find(id: string) {
    const request = await store.getRequest(requestId(id));
    if (!request) throw new ApiFailure(404, 'request_not_found', `no request with id ${id}`);
    return request;
  }

  return new Hono<AppEnv>()
    .get('/:id', async (c) => {
      const request = await find(c.req.param('id'));
      return c.json(toDetail(request, listener, await answerOf(store, request)), 200);
    })
    .get('/:id/body', async (c) => {
      const request = await find(c.req.param('id'));
      let bytes = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
      let name = `request-${request.id}.bin`;
      // ?decoded=1 undoes the Content-Encoding the sender applied; the stored bytes stay as sent.
      if (c.req.query('decoded') !== undefined) {
        const codings = contentCodings(displayHeaders(request).filter(([n]) => n.toLowerCase() === 'content-encoding').map(([, value]) => value));
        if (codings.length > 0) {
          if (request.truncated) throw new ApiFailure(400, 'body_truncated', 'the body was stored truncated, so it cannot be decompressed');
          bytes = await decoded(bytes, codings, config.maxDecodedBytes);
          name = `request-${request.id}.decoded.bin`;
        }
      }
      return c.body(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), 200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${name}"`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    })
    .get('/:id/raw', async (c) => {
      const request = await find(c.req.param('id'));
      // A request the HTTP parser refused is kept as the bytes that arrived: those are its wire form.
      if (request.parserError) {
        return c.body(new Uint8Array(request.body), 200, {
          'Content-Type': 'message/http',
          'Content-Disposition': `attachment; filename="request-${request.id}.http"`,
          'X-Authbin-Body-Truncated': String(request.truncated),
          'X-Authbin-Refused': request.parserError,
          'Content-Security-Policy': "default-src 'none'; sandbox",
        });
      }
      // The request as it came over the wire (HTTP/1.1 framing), header bytes exactly as sent.
      const head =
        `${request.method} /b/${request.bin}${request.path === '/' ? '' : request.path}${request.query ? `?${request.query}` : ''} HTTP/${request.httpVersion}\r\n` +
        request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
        '\r\n';
      const bytes = Buffer.concat([Buffer.from(head, 'latin1'), request.body]);
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': 'message/http',
        'Content-Disposition': `attachment; filename="request-${request.id}.http"`,
        'X-Authbin-Body-Truncated': String(request.truncated),
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    })
    .post('/:id/verify', async (c) => {
      const request = await find(c.req.param('id'));
      const input = await jsonBody(c);
      // The secret is used for this call only: never stored, never logged, never echoed.
      if (!isObject(input) || typeof input.secret !== 'string' || input.secret === '') {
        throw new ApiFailure(400, 'invalid_input', 'expected {"secret": "…"} with the signing secret, and optionally "scheme" and "url"');
      }
      if (input.scheme !== undefined && !isSignatureScheme(input.scheme)) {
        throw new ApiFailure(400, 'invalid_scheme', `unknown "scheme": use one of ${SIGNATURE_SCHEMES.join(', ')}`);
      }
      if (input.url !== undefined && (typeof input.url !== 'string' || !URL.canParse(input.url))) {
        throw new ApiFailure(400, 'invalid_url', '"url" must be the full URL the sender called, such as https://example.com/b/bin');
      }
      const signatures = await verifySignatures(signatureInput(request, listener), {
        secret: input.secret,
        ...(input.scheme !== undefined && { scheme: input.scheme }),
        ...(typeof input.url === 'string' && { url: input.url }),
      });
      return c.json({ signatures } satisfies VerifyResult, 200);
    })
    .delete('/:id', async (c) => {
      const id = requestId(c.req.param('id'));
      if (!(await store.deleteRequest(id))) throw new ApiFailure(404, 'request_not_found', `no request with id ${id}`);
      return c.body(null, 204);
    });
}

/** The body with its content codings undone, or the API error that says why not. */
async function decoded(bytes: Buffer, codings: string[], limit: number): Promise<Buffer> {
  try {
    return await decodeBody(bytes, codings, limit);
  } catch (error) {
    if (error instanceof DecodedTooLarge) {
      const size = limit % mib === 0 ? `${limit / mib} MiB` : `${limit} bytes`;
      throw new ApiFailure(413, 'decoded_too_large', `decoding this body would produce more than ${size} (AUTHBIN_MAX_DECODED_BYTES); the raw body is still downloadable without ?decoded=1`);
    }
    if (error instanceof UndecodableBody) throw new ApiFailure(400, error.reason === 'unsupported' ? 'unsupported_encoding' : 'undecodable_body', error.message);
    throw error;
  }
}
