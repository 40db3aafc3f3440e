import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, fieldsFromResponse, responseFromFields } from '../../../web/lib/response-form.ts';

describe('bin response form', () => {
  it('builds the response the API takes, with the content type as a header', () => {
    expect(
      responseFromFields({ status: '503', contentType: 'text/plain', body: 'try later', delayMs: '300', headers: 'Retry-After: 7\n\nX-Trace:  a b ', allowScripts: false }),
    ).toEqual({ response: { status: 503, headers: { 'Content-Type': 'text/plain', 'Retry-After': '7', 'X-Trace': 'a b' }, body: 'try later', delayMs: 300 } });
  });

  it('names the field that is wrong', () => {
    expect(responseFromFields({ ...DEFAULT_FIELDS, status: '99' })).toEqual({ error: 'Status must be a number from 200 to 599.' });
    expect(responseFromFields({ ...DEFAULT_FIELDS, status: '101' })).toEqual({ error: 'Status must be a number from 200 to 599.' });
    expect(responseFromFields({ ...DEFAULT_FIELDS, status: '2OO' })).toHaveProperty('error');
    expect(responseFromFields({ ...DEFAULT_FIELDS, delayMs: '30001' })).toHaveProperty('error', expect.stringMatching(/^Delay/));
    expect(responseFromFields({ ...DEFAULT_FIELDS, headers: 'no colon here' })).toEqual({ error: 'Header line "no colon here" is not "Name: value".' });
  });

  it('refuses a body with a status that has none, as the server does', () => {
    expect(responseFromFields({ ...DEFAULT_FIELDS, status: '204', body: 'done' })).toEqual({ error: 'A 204 response has no body: leave "body" empty or pick another status.' });
    expect(responseFromFields({ ...DEFAULT_FIELDS, status: '304', body: '' })).toHaveProperty('response.status', 304);
  });

  it('refuses the headers the server refuses, before saving', () => {
    expect(responseFromFields({ ...DEFAULT_FIELDS, headers: 'Content-Length: 2' })).toHaveProperty('error', expect.stringMatching(/^The bin response may not set "Content-Length"/));
    expect(responseFromFields({ ...DEFAULT_FIELDS, headers: 'X-Odd: a\vb' })).toHaveProperty('error', expect.stringContaining('U+000B'));
    expect(responseFromFields({ ...DEFAULT_FIELDS, contentType: 'text/html\u2028x' })).toHaveProperty('error', expect.stringContaining('U+2028'));
  });

  it('sends allowScripts only when it is ticked', () => {
    expect(responseFromFields({ ...DEFAULT_FIELDS, allowScripts: true })).toHaveProperty('response.allowScripts', true);
    expect(responseFromFields(DEFAULT_FIELDS)).not.toHaveProperty('response.allowScripts');
    expect(fieldsFromResponse({ allowScripts: true }).allowScripts).toBe(true);
  });

  it('fills the form back from a saved response', () => {
    const fields = fieldsFromResponse({ status: 429, headers: { 'content-type': 'application/json', 'Retry-After': '7' }, body: '{}', delayMs: 0 });
    expect(fields).toEqual({ status: '429', contentType: 'application/json', body: '{}', delayMs: '0', headers: 'Retry-After: 7', allowScripts: false });
    expect(responseFromFields(fields)).toEqual({
      response: { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '7' }, body: '{}', delayMs: 0 },
    });
  });

  it('shows the defaults when the bin has no response of its own', () => {
    expect(fieldsFromResponse(null)).toEqual(DEFAULT_FIELDS);
  });
});
