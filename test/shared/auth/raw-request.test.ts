import { describe, expect, it } from 'vitest';
import { analyze, parseRawHttpRequest } from '../../../shared/auth/index.ts';

describe('parseRawHttpRequest', () => {
  it('reads the request line, the headers in order with their case, and the body', () => {
    const raw = 'POST /api/v2/tickets.json?api_token=x HTTP/1.1\r\nHost: acme.zendesk.com\r\nauthorization:   Basic bWU6cHc=  \r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n\r\n{"ticket":{}}';
    expect(parseRawHttpRequest(raw)).toEqual({
      method: 'POST',
      url: '/api/v2/tickets.json?api_token=x',
      headers: [
        ['Host', 'acme.zendesk.com'],
        ['authorization', 'Basic bWU6cHc='],
        ['Authorization', 'Bearer t'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"ticket":{}}',
    });
  });

  it('keeps a value wrapped over two lines as one header with its line break, so the analysis can name it', () => {
    const request = parseRawHttpRequest('GET / HTTP/1.1\nAuthorization: Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVq\nOTVQSXoyYWt2\n\n');
    expect(request.headers).toEqual([['Authorization', 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVq\nOTVQSXoyYWt2']]);
    expect(analyze({ headers: request.headers }).findings.map((f) => f.code)).toContain('whitespace');
  });

  it('returns empty parts for text that is not a request', () => {
    expect(parseRawHttpRequest('')).toEqual({ method: '', url: '', headers: [], body: '' });
  });
});
