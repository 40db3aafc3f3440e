import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * A web page the user visits points its own name at 127.0.0.1 (DNS rebinding); its script is then
 * same-origin with a tokenless authbin. Chromium's host resolver rule plays the attacker's DNS.
 */
describe('DNS rebinding against a tokenless authbin', () => {
  let server: RunningServer;
  let browser: TestBrowser;
  let port: string;
  const credential = `Basic ${Buffer.from('me@example.com/token:rebind-secret-42').toString('base64')}`;
  beforeAll(async () => {
    server = await startServer();
    port = new URL(server.url).port;
    browser = await launchBrowser({ args: ['--host-resolver-rules=MAP rebind.test 127.0.0.1'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("gives the attacker's page neither captured credentials nor a way to change a bin", async () => {
    const ack = (await (await fetch(`${server.url}/b/victim/hook`, { method: 'POST', headers: { Authorization: credential } })).json()) as { id: string };

    const page = await browser.newPage();
    // Any page on the rebound name will do: the script below runs as that origin, as the attacker's would.
    await page.goto(`http://rebind.test:${port}/healthz`);
    const attack = await page.evaluate(async (id) => {
      const read = await fetch(`/api/requests/${id}`);
      const change = await fetch('/api/bins/victim', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ forwardTo: 'http://127.0.0.1:9/steal' }) });
      const list = await fetch('/api/bins');
      return { read: read.status, readBody: await read.text(), change: change.status, list: list.status };
    }, ack.id);
    expect(attack.read).toBe(403);
    expect(attack.readBody).not.toContain('rebind-secret-42');
    expect(attack.readBody).not.toContain(credential.slice(6));
    expect(attack.change).toBe(403);
    expect(attack.list).toBe(403);
    const bin = (await (await fetch(`${server.url}/api/bins/victim`)).json()) as { forwardTo: string | null };
    expect(bin.forwardTo).toBeNull();

    const ui = await page.goto(`http://rebind.test:${port}/bins/victim`);
    expect(ui!.status()).toBe(403);

    // The user's own tab on localhost still works.
    const own = await browser.newPage();
    await own.goto(`http://localhost:${port}/bins/victim`);
    await own.getByRole('list', { name: 'Requests' }).getByRole('listitem').first().waitFor();
  });
});
