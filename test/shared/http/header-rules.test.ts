import { createServer, validateHeaderName, validateHeaderValue } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerValueProblem, isToken, readHeaderLine } from '../../../shared/http/header-rules.ts';

const accepts = (check: () => void) => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

/** Node sends it, and the fetch `Headers` a bin response is built with keeps it unchanged. */
function sentAsWritten(value: string): boolean {
  const fetchKeeps = accepts(() => {
    if (new Headers([['x-value', value]]).get('x-value') !== value) throw new Error('changed');
  });
  // Node takes U+0080–U+00FF but sends them as UTF-8 or as Latin-1 depending on the body (see below).
  return accepts(() => validateHeaderValue('x-value', value)) && fetchKeeps && !/[\x80-\xff]/.test(value);
}

// Weighted toward the characters at the edges of the rules: controls, DEL, Latin-1, line and paragraph separators.
const edgeChar = fc.constantFrom('\t', '\v', '\f', '\r', '\n', '\0', ' ', '\x1f', '\x7f', '\x80', '\xa0', '\xe9', '\xff', '\u0100', '\u2028', '\u2029', '\ud83d', '😀', 'a', ':', ';', '=');
const headerText = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: fc.oneof(edgeChar, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })), maxLength: 12 }));

describe('header rules', () => {
  it('take a header value exactly when Node sends it and fetch keeps it as written', () => {
    fc.assert(
      fc.property(headerText, (value) => {
        expect(headerValueProblem(value) === null, JSON.stringify(value)).toBe(sentAsWritten(value));
      }),
      { numRuns: 2000, examples: [['a\u2028b'], ['a\vb'], ['\t'], [' a'], ['a '], ['caf\xe9'], ['\u0100'], [''], ['a\tb'], ['\x7f']] },
    );
  });

  it('take a header name exactly when Node and fetch both do', () => {
    fc.assert(
      fc.property(headerText, (name) => {
        const both = accepts(() => validateHeaderName(name)) && accepts(() => new Headers([[name, 'v']]));
        expect(isToken(name), JSON.stringify(name)).toBe(both);
      }),
      { numRuns: 2000, examples: [['Retry-After'], ['X Trace'], [''], ['é'], ["!#$%&'*+-.^_`|~"]] },
    );
  });

  it('read a header line as its name and its value without the spaces and tabs around it', () => {
    const space = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 });
    const value = headerText.filter((text) => !/^[ \t]|[ \t]$/.test(text));
    fc.assert(
      fc.property(headerText.filter(isToken), space, space, value, space, (name, beforeColon, afterColon, text, after) => {
        expect(readHeaderLine(`${name}${beforeColon}:${afterColon}${text}${after}`)).toEqual([name, text]);
      }),
      { examples: [['Authorization', '', ' ', 'Basic bWU6cHc=', ' '], ['X', ' ', '', 'a\u2028b', '\t'], ['X', '', '', '', '']] },
    );
  });

  it('read no header line where the part before the first colon is not a token', () => {
    fc.assert(
      fc.property(headerText, (line) => {
        const colon = line.indexOf(':');
        const name = colon === -1 ? null : line.slice(0, colon).replace(/[ \t]+$/, '');
        expect(readHeaderLine(line) !== null, JSON.stringify(line)).toBe(name !== null && isToken(name));
      }),
      { numRuns: 2000, examples: [['me@example.com:secret'], ['Basic bWU6cHc='], [' X: 1'], ['X : 1'], [':1']] },
    );
  });

  it('stop at ASCII because Node sends U+00E9 as UTF-8 with a string body and as Latin-1 otherwise', async () => {
    const server = createServer((request, response) => {
      response.setHeader('X-Value', 'caf\xe9');
      response.end(request.url === '/string' ? 'body' : Buffer.from('body'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const bytesOf = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const wire = Buffer.concat(chunks);
          const start = wire.indexOf('X-Value: caf') + 12;
          resolve(wire.subarray(start, wire.indexOf('\r\n', start)).toString('hex'));
        });
        socket.end(`GET ${path} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`);
      });
    try {
      expect(await bytesOf('/string')).toBe('c3a9');
      expect(await bytesOf('/buffer')).toBe('e9');
    } finally {
      server.close();
    }
  });

  it('say which character is wrong', () => {
    expect(headerValueProblem('a\u2028b')).toMatch(/^contains U\+2028/);
    expect(headerValueProblem('a\vb')).toMatch(/^contains U\+000B/);
    expect(headerValueProblem('😀')).toMatch(/^contains U\+1F600/);
    expect(headerValueProblem(' x')).toMatch(/space or tab/);
  });
});
