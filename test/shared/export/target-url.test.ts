import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targetUrl } from '../../../shared/export/index.ts';

describe('targetUrl', () => {
  it('appends the sub-path and query to the base, joining slashes and queries', () => {
    expect(targetUrl('http://localhost:3000/webhook', { path: '/zendesk', query: 'x=1' })).toBe('http://localhost:3000/webhook/zendesk?x=1');
    expect(targetUrl('http://localhost:3000/webhook/', { path: '/zendesk', query: '' })).toBe('http://localhost:3000/webhook/zendesk');
    expect(targetUrl('http://localhost:3000/hook?key=k', { path: '/', query: 'x=1' })).toBe('http://localhost:3000/hook?key=k&x=1');
    expect(targetUrl('https://authbin.example/b/demo#frag', { path: '/', query: '' })).toBe('https://authbin.example/b/demo');
  });

  it('keeps the path and query bytes as they are', () => {
    const raw = fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F', '.', '[', "'", '&', '='), maxLength: 20 });
    fc.assert(
      fc.property(raw, raw, (path, query) => {
        const subPath = `/${path}`;
        const url = targetUrl('http://h/base', { path: subPath, query: query.replace(/[?#]/g, '') });
        const expected = `http://h/base${subPath === '/' ? '' : subPath}${query ? `?${query}` : ''}`;
        expect(url).toBe(expected);
      }),
    );
  });
});
