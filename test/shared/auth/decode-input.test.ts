import { describe, expect, it } from 'vitest';
import { parseRawHttpRequest as parseRequest } from '../../../shared/auth/index.ts';
import { readDecodeInput } from '../../../web/lib/decode-input.ts';

describe('readDecodeInput', () => {
  it('reads a bare value as the Authorization header, without the newline a paste adds', () => {
    expect(readDecodeInput('Basic bWU6cHc=\n', parseRequest)).toEqual({ mode: 'value', headers: [['Authorization', 'Basic bWU6cHc=']] });
  });

  it('reads header lines with their own names and case', () => {
    expect(readDecodeInput('authorization: Bearer abc\nX-Api-Key: k1', parseRequest)).toEqual({
      mode: 'headers',
      headers: [
        ['authorization', 'Bearer abc'],
        ['X-Api-Key', 'k1'],
      ],
    });
  });

  it('reads a raw HTTP request with its URL, body and content type', () => {
    const input = readDecodeInput('POST /api/v2/tickets.json HTTP/1.1\nHost: x.zendesk.com\nContent-Type: application/json\nAuthorization: Basic eA==\n\n{"a":1}', parseRequest);
    expect(input.mode).toBe('request');
    expect(input.url).toBe('/api/v2/tickets.json');
    expect(input.body).toBe('{"a":1}');
    expect(input.contentType).toBe('application/json');
    expect(input.headers).toContainEqual(['Authorization', 'Basic eA==']);
  });

  it('does not mistake a value with a colon for a header line', () => {
    expect(readDecodeInput('me@example.com:secret', parseRequest)).toEqual({ mode: 'value', headers: [['Authorization', 'me@example.com:secret']] });
  });

  it('gives no headers for blank input', () => {
    expect(readDecodeInput('  \n', parseRequest).headers).toEqual([]);
  });
});
