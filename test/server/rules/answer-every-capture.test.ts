import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../shared/api.ts';
import { fetchDetail, startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';

const json = (body: unknown, method = 'PUT'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(testEngines())('every capture says how it was answered, rules or not, on $name', (engine) => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await startTestApp(engine, { AUTHBIN_MAX_BODY_BYTES: '1024' });
    base = await t.listen();
  });
  afterEach(() => t.close());

  const capture = async (path: string, init?: RequestInit) => {
    const answer = await fetch(`${base}${path}`, init);
    const id = answer.headers.get('content-type')?.startsWith('application/json') ? ((await answer.json()) as { id?: string }).id : undefined;
    return { status: answer.status, id: id ?? (await t.store.listRequests(path.split('/')[2]!, { limit: 1 })).requests[0]!.id };
  };
  const answerOf = async (id: string) => (await fetchDetail(base, id)).answer;

  it('on a bin without rules: the default 200, or the status of the response the bin is set to', async () => {
    const plain = await capture('/b/no-rules/hook', { method: 'POST', body: '{}' });
    expect(await answerOf(plain.id)).toEqual({ status: 200, rule: null, reasons: [] });
    await fetch(`${base}/api/bins/no-rules`, json({ response: { status: 503, body: 'later' } }, 'PATCH'));
    const unavailable = await capture('/b/no-rules/hook');
    expect(unavailable.status).toBe(503);
    expect(await answerOf(unavailable.id)).toEqual({ status: 503, rule: null, reasons: [] });
    // The latest request and a long poll show it as GET /api/requests/{id} does.
    const latest = (await (await fetch(`${base}/api/bins/no-rules/requests/latest`)).json()) as RequestDetail;
    expect(latest.answer).toEqual({ status: 503, rule: null, reasons: [] });
  });

  it('what authbin answers itself: a 413 past the body limit and a CORS preflight, rules or not', async () => {
    await fetch(`${base}/api/bins/ruled/rules`, json({ rules: [{ when: [], respond: { status: 418 } }] }));
    for (const bin of ['no-rules', 'ruled']) {
      const large = await capture(`/b/${bin}/up`, { method: 'POST', body: 'x'.repeat(4096) });
      expect(large.status).toBe(413);
      expect(await answerOf(large.id)).toEqual({ status: 413, rule: null, reasons: ['the body was larger than the limit (--max-body-bytes): its first bytes were stored'], own: true });
      const preflight = await capture(`/b/${bin}/x`, { method: 'OPTIONS', headers: { Origin: 'https://example.com', 'Access-Control-Request-Method': 'PUT' } });
      expect(preflight.status).toBe(204);
      expect(await answerOf(preflight.id)).toEqual({ status: 204, rule: null, reasons: ['a CORS preflight, which authbin answers itself'], own: true });
    }
    const ruled = await capture('/b/ruled/x', { method: 'POST' });
    expect(ruled.status).toBe(418);
    expect(await answerOf(ruled.id)).toMatchObject({ status: 418, rule: { name: null }, reasons: [] });
  });
});
