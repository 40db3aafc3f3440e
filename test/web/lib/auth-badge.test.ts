import { describe, expect, it } from 'vitest';
import { authBadge } from '../../../web/lib/auth-badge.ts';
import { bodyKind } from '../../../web/lib/body-kind.ts';

describe('authBadge', () => {
  it('names the scheme, kind and email of a Basic header', () => {
    expect(authBadge({ scheme: 'Basic', user: 'me@example.com', kind: 'api-token', worst: null })).toEqual({
      label: 'Basic · api-token · me@example.com',
      tone: 'ok',
    });
  });

  it('says JWT for a Bearer JWT and is coloured by the worst finding', () => {
    expect(authBadge({ scheme: 'bearer', user: null, kind: 'jwt', worst: 'error' })).toEqual({ label: 'Bearer · JWT', tone: 'error' });
    expect(authBadge({ scheme: 'Basic', user: 'a@b.c', kind: 'password', worst: 'warning' }).tone).toBe('warning');
    expect(authBadge({ scheme: 'Basic', user: 'a@b.c', kind: 'password', worst: 'info' }).tone).toBe('ok');
  });

  it('says none without a header, yet still warns of credentials found elsewhere', () => {
    expect(authBadge({ scheme: null, user: null, kind: null, worst: null })).toEqual({ label: 'none', tone: 'none' });
    expect(authBadge({ scheme: null, user: null, kind: null, worst: 'error' })).toEqual({ label: 'none', tone: 'error' });
  });
});

describe('bodyKind', () => {
  it('goes by the content type, then by the content', () => {
    expect(bodyKind('application/json; charset=utf-8', 7, '{"a":1}')).toBe('json');
    expect(bodyKind('application/vnd.api+json', 2, '{}')).toBe('json');
    expect(bodyKind('text/plain', 7, ' {"a":1}')).toBe('json');
    expect(bodyKind('application/soap+xml', 4, '<a/>')).toBe('xml');
    expect(bodyKind(null, 4, '<a/>')).toBe('xml');
    expect(bodyKind('application/x-www-form-urlencoded', 3, 'a=1')).toBe('form');
    expect(bodyKind('multipart/form-data; boundary=x', 10, undefined)).toBe('multipart');
    expect(bodyKind('text/plain', 5, 'hello')).toBe('text');
  });

  it('treats bytes that are not UTF-8 as binary whatever the label, and no bytes as empty', () => {
    expect(bodyKind('application/json', 3, undefined)).toBe('binary');
    expect(bodyKind('application/json', 0, '')).toBe('empty');
  });
});
