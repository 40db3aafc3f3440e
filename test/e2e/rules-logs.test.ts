import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../helpers/raw-http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const adminToken = 'admin-token-for-the-logs-test-0f3c';
const email = 'me@example.com';
const apiToken = 'zd-api-token-logs-7Qe2Lm';
const apiKey = 'api-key-value-logs-Hh41';
const signingSecret = 'whsec-signing-logs-9Tt3';
const wrongToken = 'wrong-token-logs-Zx05Yc';

/** Every secret of the test, and the forms a log line could carry one in. */
const secrets = [adminToken, apiToken, apiKey, signingSecret, wrongToken, `${apiToken}\n`];
const forms = (secret: string) => [secret.trim(), Buffer.from(`${email}/token:${secret}`).toString('base64'), Buffer.from(secret.trim()).toString('base64')];

let server: RunningServer;
beforeAll(async () => {
  // authbin has no log level to raise: every line it can print is always on. The test provokes those
  // a capture or a rule can lead to — a wrong API token, a failed relay, a request the HTTP parser
  // refuses, refused rules — with credentials in every request. (Node's own NODE_DEBUG=http is not
  // authbin's log: it prints the headers of the requests authbin relays and replays.)
  server = await startServer({ env: { AUTHBIN_TOKEN: adminToken } });
});
afterAll(() => server.stop());

const api = (path: string, init: RequestInit = {}, token = adminToken) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

describe("secrets in the server's output", () => {
  it('never holds a captured credential or a rule secret, whatever is sent', async () => {
    const rules = [
      { name: 'signed', when: [{ signature: { scheme: 'zendesk', secret: signingSecret } }], respond: { status: 204 } },
      { name: 'key', when: [{ credentials: { kind: 'api-key', header: 'X-Api-Key', value: apiKey } }], respond: { status: 202 } },
      { name: 'Zendesk API', when: [{ credentials: { kind: 'api-token', email, token: apiToken }, not: true }], respond: { status: 401, headers: { 'X-Authbin-Reason': '{{reason}}' } } },
    ];
    expect((await api('/api/bins/logs/rules', { method: 'PUT', body: JSON.stringify({ rules }) })).status).toBe(200);
    // A relay to a closed port fails (recorded with the request).
    expect((await api('/api/bins/logs', { method: 'PATCH', body: JSON.stringify({ forwardTo: 'http://127.0.0.1:1/relay' }) })).status).toBe(200);

    const basic = (secret: string) => `Basic ${Buffer.from(`${email}/token:${secret}`).toString('base64')}`;
    const captures: [Record<string, string>, number][] = [
      [{ Authorization: basic(wrongToken) }, 401],
      [{ Authorization: basic(`${apiToken}\n`) }, 401],
      [{ Authorization: `Bearer ${apiToken}` }, 401],
      [{ Authorization: basic(apiToken) }, 200],
      [{ 'X-Api-Key': wrongToken }, 401],
      [{ 'X-Api-Key': apiKey }, 202],
    ];
    for (const [headers, status] of captures) expect((await fetch(`${server.url}/b/logs/hook`, { method: 'POST', headers, body: '{}' })).status).toBe(status);
    const timestamp = new Date().toISOString();
    const signature = createHmac('sha256', signingSecret).update(`${timestamp}{}`).digest('base64');
    const signed = await fetch(`${server.url}/b/logs/hook`, { method: 'POST', body: '{}', headers: { 'X-Zendesk-Webhook-Signature': signature, 'X-Zendesk-Webhook-Signature-Timestamp': timestamp } });
    expect(signed.status).toBe(204);

    // The API with a captured secret as its token; a request the parser refuses, carrying credentials.
    expect((await api('/api/bins', {}, apiToken)).status).toBe(401);
    await sendRaw(server.url, `POST /b/logs/raw HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(apiToken)}\r\nX-Bad: a\u0001b\r\nContent-Length: 0\r\n\r\n`);
    // Rules refused: a masked secret that matches nothing, an invalid field beside a secret.
    const refused = [
      { when: [{ credentials: { kind: 'api-token', email, token: '••••••••zzzz (23 characters)' } }], respond: {} },
      { when: [{ credentials: { kind: 'api-token', email, token: apiToken }, pathRegex: '(' }], respond: {} },
    ];
    for (const rule of refused) expect((await api('/api/bins/logs/rules', { method: 'PUT', body: JSON.stringify({ rules: [rule] }) })).status).toBe(400);
    const rulesLine = (await (await api('/api/bins/logs/export?format=ndjson')).text()).split('\n')[0]!;
    for (const secret of [apiKey, apiToken, signingSecret]) expect(rulesLine).not.toContain(secret);

    // Wait for every relay to be tried (and fail), so that the output holds all the server had to say.
    const { requests } = (await (await api('/api/bins/logs/requests?limit=50')).json()) as { requests: { id: string }[] };
    expect(requests).toHaveLength(captures.length + 2);
    const relayed = async () => {
      const details = await Promise.all(requests.map(async ({ id }) => (await (await api(`/api/requests/${id}`)).json()) as { forward: { error: string } | null }));
      return details.filter((detail) => detail.forward?.error).length;
    };
    await expect.poll(relayed, { timeout: 10_000 }).toBe(requests.length);
    await expect.poll(() => server.output()).toMatch(/wrong token from/);
    const output = server.output();
    for (const secret of secrets) {
      for (const form of forms(secret)) expect(output.includes(form), `${JSON.stringify(form)} in the output:\n${output}`).toBe(false);
    }
  });
});
