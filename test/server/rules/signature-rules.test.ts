import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, ZENDESK_TEST_SECRET } from '../../../shared/signatures/index.ts';
import { fetchDetail, startTestApp, testEngines, type TestApp } from '../../helpers/app.ts';

const secret = 'zendesk-webhook-signing-secret-1234';
const body = '{"ticket":{"id":35436}}';

describe.each(testEngines())('a signature rule answering captures on $name (real HTTP)', (engine) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    // The rule holds a secret: on PostgreSQL that needs the key every instance shares.
    t = await startTestApp(engine, engine.name === 'postgres' ? { AUTHBIN_SECRET_KEY: 'a-key-every-instance-shares-0123456789' } : {});
    base = await t.listen();
    const rules = [{ name: 'unsigned', when: [{ signature: { scheme: 'zendesk', secret }, not: true }], respond: { status: 401, headers: { 'X-Authbin-Reason': '{{reason}}' } } }];
    const put = await fetch(`${base}/api/bins/signed/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    expect(put.status).toBe(200);
  });
  afterAll(() => t.close());

  const send = async (signer: string, sent = body) => {
    const headers = await signRequest({ scheme: 'zendesk', secret: signer, body });
    return fetch(`${base}/b/signed/hook`, { method: 'POST', headers: [['Content-Type', 'application/json'], ...headers], body: sent });
  };

  it("answers 401 naming Zendesk's test secret, and records the reason", async () => {
    const answer = await send(ZENDESK_TEST_SECRET);
    expect(answer.status).toBe(401);
    const reason = 'the Zendesk signature does not verify: it was made with Zendesk\'s test secret ("Test webhook" in Admin Center), not this one';
    expect(answer.headers.get('x-authbin-reason')).toBe(reason);
    const [latest] = ((await (await fetch(`${base}/api/bins/signed/requests?limit=1`)).json()) as { requests: { id: string }[] }).requests;
    expect((await fetchDetail(base, latest!.id)).answer?.reasons).toEqual([reason]);
  });

  it('names a body re-serialised after signing, and lets the right signature through', async () => {
    const reserialised = await send(secret, '{ "ticket": { "id": 35436 } }');
    expect(reserialised.status).toBe(401);
    expect(reserialised.headers.get('x-authbin-reason')).toMatch(/it matches the body re-serialised as compact JSON/);
    expect((await send(secret)).status).toBe(200);
  });
});
