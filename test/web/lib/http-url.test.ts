import { describe, expect, it } from 'vitest';
import { httpUrlError } from '../../../web/lib/http-url.ts';

describe('httpUrlError', () => {
  it('accepts http and https URLs', () => {
    expect(httpUrlError('http://localhost:3000/webhook')).toBeNull();
    expect(httpUrlError('https://example.test/a?b=1')).toBeNull();
  });

  it('asks for the scheme when it is missing, rather than reading the host as one', () => {
    expect(httpUrlError('localhost:3000')).toBe('"localhost:3000" is not a full URL: start it with http:// or https://.');
    expect(httpUrlError('example.test/hook')).toMatch(/not a full URL/);
    expect(httpUrlError('http://')).toMatch(/not a full URL/);
  });

  it('refuses other schemes', () => {
    expect(httpUrlError('ftp://example.test/')).toBe('Only http:// and https:// URLs can be used, not ftp://.');
  });
});
