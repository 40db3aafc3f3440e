import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binHeaderProblem, isBinStatus, maxBinDelayMs, readBinResponse } from '../../../shared/http/bin-response-rules.ts';

/** Whether the fetch `Response` the capture route answers with can be built (an empty body goes as none). */
function responseBuilds(status: number, body: string): boolean {
  try {
    new Response(body === '' ? null : body, { status });
    return true;
  } catch {
    return false;
  }
}

describe('bin response rules', () => {
  it("refuse framing, hop-by-hop and authbin's own headers in a bin response, in any letter case", () => {
    for (const name of ['Content-Length', 'TRANSFER-ENCODING', 'connection', 'Keep-Alive', 'Upgrade', 'Trailer', 'Proxy-Connection', 'te', 'Content-Security-Policy', 'X-Content-Type-Options', 'Clear-Site-Data']) {
      expect(binHeaderProblem(name, 'x'), name).toContain(`"${name}"`);
    }
    expect(binHeaderProblem('__proto__', 'x')).toBeNull();
    expect(binHeaderProblem('Retry-After', 7)).toMatch(/must be a string/);
  });

  it('refuse a Set-Cookie for the login cookie only when told its name', () => {
    expect(binHeaderProblem('Set-Cookie', 'Session=1; Path=/', 'session')).toMatch(/login cookie "session"/);
    expect(binHeaderProblem('Set-Cookie', 'Session=1; Path=/')).toBeNull();
    expect(binHeaderProblem('Set-Cookie', 'sessions=1', 'session')).toBeNull();
    expect(binHeaderProblem('Set-Cookie', 'other=1; session=2', 'session')).toBeNull();
  });

  it('take the statuses 200 to 599', () => {
    expect([199, 200, 599, 600, 250.5, '200', null].map(isBinStatus)).toEqual([false, true, true, false, false, false, false]);
  });

  it('take exactly the statuses and bodies a fetch Response answers with: no 1xx, and no body for 204, 205 and 304', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.constantFrom('', 'x'), (status, body) => {
        expect('response' in readBinResponse({ status, body }), `${status} ${JSON.stringify(body)}`).toBe(responseBuilds(status, body));
      }),
      { numRuns: 3000, examples: [[100, ''], [199, ''], [204, 'x'], [204, ''], [205, 'x'], [304, 'x'], [599, 'x'], [600, '']] },
    );
    expect(readBinResponse({ status: 204, body: 'done' })).toEqual({ problem: 'a 204 response has no body: leave "body" empty or pick another status' });
  });

  it('read a whole response, or say the first thing wrong with it', () => {
    const response = { status: 503, headers: { 'Retry-After': '7' }, body: 'later', delayMs: maxBinDelayMs, allowScripts: false };
    expect(readBinResponse(response)).toEqual({ response });
    expect(readBinResponse({})).toEqual({ response: {} });
    expect(readBinResponse([])).toEqual({ problem: '"response" must be an object or null' });
    expect(readBinResponse({ code: 200 })).toEqual({ problem: 'unknown response field "code": use status, headers, body, delayMs, allowScripts' });
    expect(readBinResponse({ headers: { 'Content-Length': '2' } })).toHaveProperty('problem', expect.stringMatching(/^the bin response may not set "Content-Length"/));
    expect(readBinResponse({ headers: ['Retry-After', '7'] })).toHaveProperty('problem', expect.stringMatching(/^"headers" must be an object/));
    expect(readBinResponse({ body: 7 })).toEqual({ problem: '"body" must be a string' });
    expect(readBinResponse({ delayMs: maxBinDelayMs + 1 })).toEqual({ problem: '"delayMs" must be a whole number from 0 to 30000' });
    expect(readBinResponse({ allowScripts: 'yes' })).toEqual({ problem: '"allowScripts" must be true or false' });
    expect(readBinResponse({ headers: { 'Set-Cookie': 'authbin_session=1' } }, 'authbin_session')).toHaveProperty('problem', expect.stringMatching(/login cookie/));
  });
});
