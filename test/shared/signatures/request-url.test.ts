import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { requestUrl, type Listener } from '../../../shared/signatures/request-url.ts';
import type { HeaderPair } from '../../../shared/signatures/index.ts';

const plain: Listener = { tls: false, trustProxy: false };

describe('requestUrl', () => {
  it('rebuilds the URL the sender called from Host, the bin, the path and the query', () => {
    expect(requestUrl({ bin: 'abc', path: '/hook/deep', query: 'x=1&y=2', headers: [['Host', 'bin.example:8080']] }, plain)).toBe('http://bin.example:8080/b/abc/hook/deep?x=1&y=2');
  });

  it('is https when a trusted proxy says the request came over https, and only then', () => {
    const url = (proto: string) => requestUrl({ bin: 'b', path: '/', query: '', headers: [['host', 'h.example'], ['X-Forwarded-Proto', proto]] }, { tls: false, trustProxy: true });
    expect(url('https')).toBe('https://h.example/b/b');
    expect(url('https, http')).toBe('https://h.example/b/b');
    expect(url('http')).toBe('http://h.example/b/b');
    expect(url('wss')).toBe('http://h.example/b/b');
  });

  it('ignores X-Forwarded-Proto without a trusted proxy, since any sender can set it', () => {
    const target = { bin: 'b', path: '/', query: '', headers: [['Host', 'h.example'], ['X-Forwarded-Proto', 'https']] as HeaderPair[] };
    expect(requestUrl(target, plain)).toBe('http://h.example/b/b');
    expect(requestUrl({ ...target, headers: [['Host', 'h.example'], ['X-Forwarded-Proto', 'http']] }, { tls: true, trustProxy: false })).toBe('https://h.example/b/b');
  });

  it('is https when authbin serves TLS itself, unless a trusted proxy says otherwise', () => {
    expect(requestUrl({ bin: 'b', path: '/', query: '', headers: [['Host', 'h.example']] }, { tls: true, trustProxy: false })).toBe('https://h.example/b/b');
    expect(requestUrl({ bin: 'b', path: '/', query: '', headers: [['Host', 'h.example']] }, { tls: true, trustProxy: true })).toBe('https://h.example/b/b');
    expect(requestUrl({ bin: 'b', path: '/', query: '', headers: [['Host', 'h.example'], ['X-Forwarded-Proto', 'http']] }, { tls: true, trustProxy: true })).toBe('http://h.example/b/b');
  });

  it('leaves out the slash of the bin itself and says localhost when there was no Host header', () => {
    expect(requestUrl({ bin: 'b', path: '/', query: '', headers: [] }, plain)).toBe('http://localhost/b/b');
  });

  it('takes the first Host header when several were sent', () => {
    expect(requestUrl({ bin: 'b', path: '/p', query: '', headers: [['Host', 'first.example'], ['HOST', 'second.example']] }, plain)).toBe('http://first.example/b/b/p');
  });

  const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
  const headersArb: fc.Arbitrary<HeaderPair[]> = fc.array(
    fc.tuple(fc.constantFrom('Host', 'host', 'X-Forwarded-Proto', 'x-forwarded-proto', 'Content-Type'), fc.oneof(token, fc.constantFrom('https', 'http', 'https,http', 'a.example:99'))),
    { maxLength: 5 },
  );
  const target = fc.record({
    bin: token,
    path: fc.oneof(fc.constant('/'), token.map((t) => `/${t}`)),
    query: fc.oneof(fc.constant(''), token.map((t) => `q=${t}`)),
    headers: headersArb,
  });

  it('always parses as a URL whose path starts with the bin and whose query is the one sent', () => {
    fc.assert(
      fc.property(target, (input) => {
        const url = new URL(requestUrl(input, plain));
        expect(url.pathname).toBe(`/b/${input.bin}${input.path === '/' ? '' : input.path}`);
        expect(url.search).toBe(input.query ? `?${input.query}` : '');
      }),
    );
  });
});
