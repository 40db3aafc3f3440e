import { describe, expect, it } from 'vitest';
import { credentialsInBody, credentialsInUrl } from '../../../shared/auth/request-locations.ts';

describe('credentials in the URL', () => {
  it.each([
    ['a plain name', '/api/v2/users/me.json?api_token=abc', '"api_token"'],
    ['upper case with a hyphen', '/api/v2/users/me.json?API-TOKEN=abc', '"API-TOKEN"'],
    ['a percent-escaped underscore', '/api/v2/users/me.json?api%5Ftoken=abc', '"api_token"'],
    ['percent-escaped letters', '/api/v2/users/me.json?p%61ssword=abc', '"password"'],
    ['a tab inside the name, which URL parsing drops', '/api/v2/users/me.json?pass\tword=abc', '"password"'],
    ['a Kelvin sign for the k', '/api/v2/users/me.json?api_\u212aey=abc', '"api_\u212aey"'],
  ])('finds %s', (_name, url, shown) => {
    expect(credentialsInUrl(url, false)?.message).toContain(`the query parameter ${shown}`);
  });

  it('finds a user and password before the host', () => {
    expect(credentialsInUrl('https://jdoe%40example.com:secret@acme.zendesk.com/api/v2/users/me.json', false)?.message).toContain('user and password');
  });

  it.each(['/hook', '/hook?attempt=1', '/hook?page=2&sort=desc#top', '/files/me@example.com', 'https://acme.zendesk.com/api/v2/tickets.json?per_page=100'])(
    'finds nothing in %s',
    (url) => {
      expect(credentialsInUrl(url, false)).toBeUndefined();
    },
  );
});

describe('credentials in the body', () => {
  it.each([
    ['a JSON field', '{"api_token":"abc"}', 'application/json', '"api_token"'],
    ['a JSON field spelt with an escape', '{"p\\u0061ssword":"abc"}', 'application/json', '"password"'],
    ['a form field spelt with a percent escape', 'email=jdoe%40example.com&api%5Fkey=abc', 'application/x-www-form-urlencoded', '"api_key"'],
    ['a field nested under "auth"', '{"auth":{"Token":"abc"}}', 'application/json', '"Token"'],
  ])('finds %s', (_name, body, contentType, shown) => {
    expect(credentialsInBody(body, contentType, false)?.message).toContain(shown);
  });

  it.each([
    ['{"ticket":{"id":1,"subject":"Printer on fire"}}', 'application/json'],
    ['subject=Printer+on+fire&priority=high', 'application/x-www-form-urlencoded'],
    ['{"grant_type":"password","password":"abc"}', 'application/json'],
  ])('finds nothing in %s', (body, contentType) => {
    expect(credentialsInBody(body, contentType, false)).toBeUndefined();
  });
});
