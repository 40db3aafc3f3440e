import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outboundHeaders } from '../../../server/replay/outbound-headers.ts';

const name = fc.oneof(
  fc.constantFrom('Host', 'host', 'Connection', 'Keep-Alive', 'Transfer-Encoding', 'TE', 'Trailer', 'Upgrade', 'Proxy-Authorization', 'Content-Length', 'X-Sig', 'x-sig', 'Authorization'),
  fc.stringMatching(/^X-[A-Za-z]{1,6}$/),
);
const headers = fc.array(fc.tuple(name, fc.stringMatching(/^[a-z0-9 =]{0,8}$/)), { maxLength: 12 });

describe('outboundHeaders', () => {
  it('keeps end-to-end headers in order, Host first-seen and rewritten, one Content-Length of the body sent', () => {
    fc.assert(
      fc.property(headers, fc.nat(100), fc.constantFrom('GET', 'POST'), (given, bodyLength, method) => {
        const result = outboundHeaders(given, { host: 'localhost:3000', bodyLength, method });
        const listed = new Set(given.filter(([n]) => n.toLowerCase() === 'connection').flatMap(([, v]) => v.split(',').map((t) => t.trim().toLowerCase())));
        const endToEnd = given.filter(([n]) => {
          const lower = n.toLowerCase();
          return !/^(host|connection|keep-alive|transfer-encoding|te|trailer|upgrade|content-length)$|^proxy-/.test(lower) && !listed.has(lower);
        });
        expect(result.filter(([n]) => !/^(host|content-length)$/i.test(n))).toEqual(endToEnd);
        expect(result.filter(([n]) => n.toLowerCase() === 'host').map(([, v]) => v)).toEqual(['localhost:3000']);
        const lengths = result.filter(([n]) => n.toLowerCase() === 'content-length').map(([, v]) => v);
        const framed = given.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
        expect(lengths).toEqual(framed || bodyLength > 0 || method === 'POST' ? [String(bodyLength)] : []);
      }),
    );
  });

  it('puts Content-Length where Transfer-Encoding stood, and Host first when there was none', () => {
    expect(outboundHeaders([['X-A', '1'], ['Transfer-Encoding', 'chunked'], ['X-B', '2']], { host: 'h:1', bodyLength: 3, method: 'POST' })).toEqual([
      ['Host', 'h:1'],
      ['X-A', '1'],
      ['Content-Length', '3'],
      ['X-B', '2'],
    ]);
  });
});
