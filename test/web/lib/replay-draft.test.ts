import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { draftFromRequest, headerRow, replayInput, withHeader, type ReplayDraft } from '../../../web/lib/replay-draft.ts';

const stored = {
  method: 'POST',
  headers: [
    ['Host', '127.0.0.1:8787'],
    ['Authorization', 'Basic d3Jvbmc='],
    ['Content-Type', 'application/json'],
    ['Content-Length', '7'],
    ['X-Tag', 'a'],
    ['x-tag', 'b'],
    ['Connection', 'keep-alive'],
  ] as [string, string][],
  body: { size: 7, truncated: false, base64: btoa('{"a":1}'), text: '{"a":1}' },
};

const pairs = (draft: ReplayDraft) => draft.headers.map((row) => [row.name, row.value]);

describe('replay draft', () => {
  it('starts from the stored request: headers in order with duplicates, minus the per-connection ones, and no target', () => {
    const draft = draftFromRequest(stored);
    expect(draft.method).toBe('POST');
    expect(draft.url).toBe('');
    expect(pairs(draft)).toEqual([
      ['Authorization', 'Basic d3Jvbmc='],
      ['Content-Type', 'application/json'],
      ['X-Tag', 'a'],
      ['x-tag', 'b'],
    ]);
    expect(draft.body).toEqual({ kind: 'text', text: '{"a":1}', original: '{"a":1}' });
  });

  it('leaves a binary body as bytes to send unchanged', () => {
    expect(draftFromRequest({ ...stored, body: { size: 3, truncated: false, base64: 'AP8A' } }).body).toEqual({ kind: 'binary', size: 3 });
  });

  it('puts the corrected header in place of the first of its name and drops any repeat', () => {
    const rows = [headerRow('authorization', 'Basic old'), headerRow('X-A', '1'), headerRow('Authorization', 'Bearer other')];
    expect(withHeader(rows, { name: 'Authorization', value: 'Basic new' }).map((r) => [r.name, r.value])).toEqual([
      ['authorization', 'Basic new'],
      ['X-A', '1'],
    ]);
    expect(withHeader([headerRow('X-A', '1')], { name: 'X-Api-Key', value: 'k' }).map((r) => [r.name, r.value])).toEqual([
      ['X-A', '1'],
      ['X-Api-Key', 'k'],
    ]);
  });

  it('sends the stored body untouched unless it was edited', () => {
    const draft = { ...draftFromRequest(stored), url: 'http://localhost:3000/hook' };
    expect(replayInput(draft)).toEqual({
      input: { url: 'http://localhost:3000/hook', method: 'POST', headers: pairs(draft) },
    });
    const edited = { ...draft, body: { kind: 'text' as const, text: '{"a":2}', original: '{"a":1}' } };
    expect(replayInput(edited)).toMatchObject({ input: { body: { text: '{"a":2}' } } });
  });

  it('says what is wrong before anything is sent', () => {
    const draft = draftFromRequest(stored);
    expect(replayInput(draft)).toEqual({ error: expect.stringMatching(/^Give the URL/) });
    expect(replayInput({ ...draft, url: 'localhost:3000' })).toEqual({ error: expect.stringMatching(/not .*http:\/\//) });
    expect(replayInput({ ...draft, url: 'file:///etc/passwd' })).toEqual({ error: expect.stringMatching(/^Only http/) });
    expect(replayInput({ ...draft, url: 'http://h', method: 'PO ST' })).toEqual({ error: expect.stringMatching(/method/) });
    expect(replayInput({ ...draft, url: 'http://h', headers: [headerRow('Bad Name', 'x')] })).toEqual({ error: expect.stringMatching(/"Bad Name" is not a valid header name/) });
    expect(replayInput({ ...draft, url: 'http://h', headers: [headerRow('X', 'a\r\nInjected: 1')] })).toEqual({ error: expect.stringMatching(/line break/) });
  });

  it('skips blank rows and keeps every other row as typed, in order', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9-]{1,10}$/);
    const value = fc.string({ maxLength: 12 }).filter((v) => !/[\r\n\0]/.test(v));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.tuple(token, value), fc.constant(['', ''] as [string, string])), { maxLength: 8 }), (rows) => {
        const draft: ReplayDraft = { method: 'PUT', url: 'https://example.test/x', headers: rows.map(([n, v]) => headerRow(n, v)), body: { kind: 'binary', size: 0 } };
        const result = replayInput(draft);
        expect(result).toEqual({ input: { url: 'https://example.test/x', method: 'PUT', headers: rows.filter(([n]) => n !== '') } });
      }),
    );
  });
});
