import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestDetail, RequestPage } from '../../shared/api.ts';
import { SqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

describe.each(testEngines())('search and wait on $name', (engine) => {
  let t: TestApp;
  let base: string;
  beforeEach(async () => {
    t = await startTestApp(engine);
    base = await t.listen();
  });
  afterEach(() => t.close());

  const utf16Header = `Basic ${Buffer.from('me@example.com/token:abc', 'utf16le').toString('base64')}`;
  const goodHeader = `Basic ${Buffer.from('me@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv').toString('base64')}`;

  let lastSent = '0';
  async function send(path: string, init: RequestInit = {}): Promise<string> {
    const response = await fetch(`${base}/b/${path}`, { method: 'POST', ...init });
    lastSent = ((await response.json()) as { id: string }).id;
    return lastSent;
  }

  async function list(query: string): Promise<RequestPage> {
    const response = await fetch(`${base}/api/bins/s/requests?${query}`);
    expect(response.status, query).toBe(200);
    return (await response.json()) as RequestPage;
  }

  const ids = async (query: string) => (await list(query)).requests.map((r) => r.id);
  /** Waits until the search index holds everything sent (SQLite indexes in the background; PostgreSQL as it stores). */
  const indexed = async () => {
    if (t.store instanceof SqliteStore) await t.store.whenIndexedThrough(lastSent);
  };

  describe('filtering a bin', () => {
    let tickets: string, users: string, utf16: string, put: string;
    beforeEach(async () => {
      tickets = await send('s/tickets', { body: '{"ticket":{"subject":"Printer on fire"}}', headers: { 'content-type': 'application/json', 'X-Zendesk-Webhook-Id': '01FWEBHOOK' } });
      users = await send('s/users', { body: 'name=Ada+Lovelace', headers: { Authorization: goodHeader } });
      utf16 = await send('s/users?page=2', { body: '{}', headers: { Authorization: utf16Header } });
      put = await send('s/tickets/7', { method: 'PUT', body: 'printer fixed' });
      await send('other', { body: 'printer elsewhere' });
    });

    const cases = (): [string, () => string[]][] => [
      ['q=printer', () => [put, tickets]],
      ['q=PRINT', () => [put, tickets]],
      ['q=printer%20fire', () => [tickets]],
      ['q=lovelace', () => [users]],
      ['q=page', () => [utf16]],
      ['method=put', () => [put]],
      ['method=POST&q=users', () => [utf16, users]],
      ['header=x-zendesk-webhook-id:01fweb', () => [tickets]],
      ['header=X-Zendesk-Webhook-Id', () => [tickets]],
      ['finding=utf16', () => [utf16]],
      ['finding=missing', () => [put, tickets]],
      ['q=nothing-like-this', () => []],
    ];

    it('finds requests the search index has not reached yet', async () => {
      for (const [query, expected] of cases()) expect(await ids(query), query).toEqual(expected());
    });

    it('finds the same once they are indexed', async () => {
      await indexed();
      for (const [query, expected] of cases()) expect(await ids(query), query).toEqual(expected());
    });

    it('filters by time', async () => {
      await indexed();
      // One millisecond after the last request, and a clock that has reached it before the next is sent.
      const cut = Date.parse((await list('limit=1')).requests[0]!.receivedAt) + 1;
      await expect.poll(() => Date.now()).toBeGreaterThanOrEqual(cut);
      const late = await send('s/late');
      expect(await ids(`since=${cut}`)).toEqual([late]);
      expect(await ids(`since=${new Date(cut).toISOString()}`)).toEqual([late]);
    });

    it('pages filtered results with the cursor, across indexed and new requests', async () => {
      await indexed();
      const more = [];
      for (let i = 0; i < 5; i++) more.push(await send('s/tickets', { body: `printer ${i}` }));
      const all: string[] = [];
      let before: string | null = null;
      do {
        const page = await list(`q=printer&limit=2${before ? `&before=${before}` : ''}`);
        all.push(...page.requests.map((r) => r.id));
        before = page.next;
      } while (before);
      expect(all).toEqual([...more.reverse(), put, tickets]);
    });

    it('rejects bad filters', async () => {
      for (const query of ['since=yesterday', 'header=bad%20name:x', 'method=P%20T', 'finding=%27%3B%20DROP']) {
        const response = await fetch(`${base}/api/bins/s/requests?${query}`);
        expect(response.status, query).toBe(400);
      }
    });
  });

  describe('waiting for a request (CI)', () => {
    it('long-polls until a matching request arrives', async () => {
      const ignored = await send('ci/ignored');
      let answered = false;
      const waiting = fetch(`${base}/api/bins/ci/requests/next?after=${ignored}&timeout=10&header=x-event:ticket.created`).finally(() => (answered = true));
      await send('ci/a', { headers: { 'X-Event': 'user.created' } });
      expect(answered).toBe(false);
      const id = await send('ci/b', { headers: { 'X-Event': 'ticket.created' }, body: '{"id":1}' });
      const response = await waiting;
      expect(response.status).toBe(200);
      const detail = (await response.json()) as RequestDetail;
      expect(detail).toMatchObject({ id, path: '/b', body: { text: '{"id":1}' } });
    });

    it('returns a request that arrived after `after` at once, and 204 at the timeout', async () => {
      const first = await send('ci2/one');
      const second = await send('ci2/two');
      const now = await fetch(`${base}/api/bins/ci2/requests/next?after=${first}&timeout=5`);
      expect(((await now.json()) as RequestDetail).id).toBe(second);
      const started = Date.now();
      const none = await fetch(`${base}/api/bins/ci2/requests/next?timeout=0.3`);
      expect(none.status).toBe(204);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('takes after=0 as the start of the bin, which a script reads from `latest` on a bin with nothing yet', async () => {
      expect((await fetch(`${base}/api/bins/ci4/requests/latest`)).status).toBe(404);
      const waiting = fetch(`${base}/api/bins/ci4/requests/next?after=0&timeout=10`);
      const id = await send('ci4/first');
      const response = await waiting;
      expect(response.status).toBe(200);
      expect(((await response.json()) as RequestDetail).id).toBe(id);
      expect(((await (await fetch(`${base}/api/bins/ci4/requests/next?after=0&timeout=0`)).json()) as RequestDetail).id).toBe(id);
    });

    it('gives the latest matching request', async () => {
      await send('ci3/x', { method: 'PUT' });
      const post = await send('ci3/y');
      await send('ci3/z', { method: 'PUT' });
      expect(((await (await fetch(`${base}/api/bins/ci3/requests/latest?method=POST`)).json()) as RequestDetail).id).toBe(post);
      expect((await fetch(`${base}/api/bins/ci3/requests/latest?method=GET`)).status).toBe(404);
    });
  });
});
