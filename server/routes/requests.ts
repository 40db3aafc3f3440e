import { Hono } from 'hono';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { ApiFailure } from '../errors.ts';
import { isSignatureScheme, verifySignatures } from '../../shared/signatures/index.ts';
import type { VerifyResult } from '../../shared/api.ts';
import { displayHeaders, listenerOf, signatureInput, toDetail } from '../views.ts';
import { isObject, jsonBody, requestId } from './validate.ts';

const decoders: Record<string, (bytes: Buffer) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

export function requestRoutes({ store, config }: AppDeps) {
  const listener = listenerOf(config);
  async function find(id: string) {
    const request = await store.getRequest(requestId(id));
    if (!request) throw new ApiFailure(404, 'request_not_found', `no request with id ${id}`);
    return request;
  }

  return new Hono<AppEnv>()
    .get('/:id', async (c) => c.json(toDetail(await find(c.req.param('id')), listener), 200))
    .get('/:id/body', async (c) => {
      const request = await find(c.req.param('id'));
      let bytes = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
      let name = `request-${request.id}.bin`;
      // ?decoded=1 undoes the Content-Encoding the sender applied; the stored bytes stay as sent.
      if (c.req.query('decoded') !== undefined) {
        const encoding = displayHeaders(request).find(([n]) => n.toLowerCase() === 'content-encoding')?.[1].trim().toLowerCase();
        if (encoding && encoding !== 'identity') {
          const decode = decoders[encoding];
          if (!decode) throw new ApiFailure(400, 'unsupported_encoding', `cannot decode Content-Encoding "${encoding}": gzip, deflate and br are supported`);
          if (request.truncated) throw new ApiFailure(400, 'body_truncated', 'the body was stored truncated, so it cannot be decompressed');
          try {
            bytes = decode(bytes);
          } catch (error) {
            throw new ApiFailure(400, 'undecodable_body', `the body is not valid ${encoding}: ${(error as Error).message}`);
          }
          name = `request-${request.id}.decoded.bin`;
        }
      }
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${name}"`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    })
    .get('/:id/raw', async (c) => {
      const request = await find(c.req.param('id'));
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
        throw new ApiFailure(400, 'invalid_scheme', 'unknown "scheme": use zendesk, github, stripe, slack, shopify, standard-webhooks, twilio or intercom');
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
