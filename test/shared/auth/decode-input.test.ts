import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, readDecodeInput } from '../../../shared/auth/index.ts';
import { isToken } from '../../../shared/http/header-rules.ts';
import { docCredentials, docHeader, shell } from './make-credentials.ts';

// Characters at the edges of the rules: HTTP whitespace, other spaces a paste brings, colons.
const edgeChar = fc.constantFrom(' ', '\t', '\u00a0', '\u200b', '\ufeff', ':', '=', 'é', '😀');
const valueText = fc
  .string({ unit: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), edgeChar), maxLength: 40 })
  .filter((text) => !/^[ \t]|[ \t]$/.test(text));
const headerName = fc.string({ unit: fc.constantFrom(...'!#$%&\'*+-.^_`|~09azAZ'.split('')), minLength: 1, maxLength: 12 }).filter((name) => !/^(basic|bearer)$/i.test(name));
const lineBreak = fc.constantFrom('\n', '\r\n');

describe('readDecodeInput', () => {
  it('reads a bare value as the Authorization header, without the newline a paste or echo adds', () => {
    expect(readDecodeInput(`${docHeader}\n`)).toEqual({ mode: 'value', headers: [['Authorization', docHeader]] });
    expect(readDecodeInput(' Basic bWU6cHc=\t\r\n')).toEqual({ mode: 'value', headers: [['Authorization', 'Basic bWU6cHc=']] });
  });

  it('keeps what a server would keep: a no-break space at the end, for the analysis to name', () => {
    const input = readDecodeInput('Basic bWU6cHc=\u00a0');
    expect(input.headers).toEqual([['Authorization', 'Basic bWU6cHc=\u00a0']]);
    expect(analyze({ headers: input.headers }).findings.map((f) => f.code)).toContain('invisible-chars');
  });

  it('reads header lines with their own names and case, the spaces around each value dropped', () => {
    expect(readDecodeInput('authorization:   Bearer abc \nX-Api-Key: k1\n')).toEqual({
      mode: 'headers',
      headers: [
        ['authorization', 'Bearer abc'],
        ['X-Api-Key', 'k1'],
      ],
    });
  });

  it('reads "Basic: …" as a value with a stray colon, which the analysis names', () => {
    const input = readDecodeInput('Basic: bWU6cHc=');
    expect(input).toEqual({ mode: 'value', headers: [['Authorization', 'Basic: bWU6cHc=']] });
    expect(analyze({ headers: input.headers }).findings[0]?.message).toMatch(/followed by punctuation/);
  });

  it('does not mistake a value with a colon for a header line', () => {
    expect(readDecodeInput('me@example.com:secret')).toEqual({ mode: 'value', headers: [['Authorization', 'me@example.com:secret']] });
  });

  it('reads the base64 that `base64` wrapped at 76 columns as one value with a line break, as a value or as a header line', () => {
    const wrapped = shell('base64', docCredentials).trimEnd();
    expect(wrapped).toContain('\n');
    const asValue = readDecodeInput(`Basic ${wrapped}`);
    expect(asValue).toEqual({ mode: 'value', headers: [['Authorization', `Basic ${wrapped}`]] });
    const asLine = readDecodeInput(`Authorization: Basic ${wrapped}\n`);
    expect(asLine).toEqual({ mode: 'headers', headers: [['Authorization', `Basic ${wrapped}`]] });
    for (const input of [asValue, asLine]) expect(analyze({ headers: input.headers }).findings.map((f) => f.code)).toContain('whitespace');
  });

  it('reads a raw HTTP request with its URL, body and content type', () => {
    const input = readDecodeInput('POST /api/v2/tickets.json HTTP/1.1\nHost: x.zendesk.com\nContent-Type: application/json\nAuthorization: Basic eA==\n\n{"a":1}');
    expect(input).toEqual({
      mode: 'request',
      url: '/api/v2/tickets.json',
      body: '{"a":1}',
      contentType: 'application/json',
      headers: [
        ['Host', 'x.zendesk.com'],
        ['Content-Type', 'application/json'],
        ['Authorization', 'Basic eA=='],
      ],
    });
    expect(readDecodeInput('GET https://x.zendesk.com/api/v2/users/me.json\nAuthorization: Basic eA==').mode).toBe('request');
  });

  it('gives no headers for blank input', () => {
    expect(readDecodeInput('  \n')).toEqual({ mode: 'value', headers: [] });
  });

  it('never throws, and a value is the text without the line breaks, spaces and tabs around it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.oneof(edgeChar, fc.constantFrom('\n', '\r', 'a', 'B', ' ', ':', '/')) })), (text) => {
        const input = readDecodeInput(text);
        if (input.mode !== 'value') return;
        const value = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
        expect(input.headers).toEqual(value === '' ? [] : [['Authorization', value]]);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads any list of header lines back as the headers written', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(headerName, valueText), { minLength: 1, maxLength: 5 }), lineBreak, fc.boolean(), (headers, newline, endsWithNewline) => {
        const text = headers.map(([name, value]) => `${name}: ${value}`).join(newline) + (endsWithNewline ? newline : '');
        expect(readDecodeInput(text)).toEqual({ mode: 'headers', headers });
      }),
    );
  });

  it('reads any request back as the method target, headers and body written', () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND');
    const target = fc.webPath().map((path) => `/${path.replace(/^\/+/, '')}`);
    const body = fc.string({ maxLength: 40 }).filter((text) => !/^[\r\n]|[\r\n]$/.test(text));
    fc.assert(
      fc.property(method, target, fc.array(fc.tuple(headerName, valueText), { maxLength: 5 }), body, lineBreak, (verb, path, headers, content, newline) => {
        const text = [`${verb} ${path} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`), '', content].join(newline);
        const input = readDecodeInput(text);
        expect(input).toMatchObject({ mode: 'request', url: path, headers, body: content });
        expect(isToken(verb)).toBe(true);
      }),
    );
  });
});
