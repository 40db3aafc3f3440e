import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureAck, CompareResult, VerifyResult } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Pairs of requests made by real clients, the way "it works with one and not the other" happens, compared
 * through the API and the built `authbin diff` (reading the database the running server writes, and asking
 * the server): all three must say the same thing.
 */

const email = 'jane@example.com';
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const cliPath = join(import.meta.dirname, '..', '..', 'dist', 'server', 'cli', 'main.js');

const hasCurl = spawnSync('curl', ['--version']).status === 0;
// Python's own python3 may lack a module that Debian's has (or the other way round): each client runs where it imports.
function pythonWith(module: string): string | null {
  return ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', `import ${module}`]).status === 0) ?? null;
}
const requestsPython = pythonWith('requests');
const httpxPython = pythonWith('httpx');

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Not execFileSync: the client waits for the server's answer, and the test must keep running meanwhile.
    execFile(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', ...env }, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** Runs a shell line with the bin's URL in $URL and the credentials in $EMAIL and $TOKEN; answers the capture's id. */
async function sh(line: string, bin: string): Promise<string> {
  const { code, stdout, stderr } = await run('sh', ['-c', line], { URL: `${server.url}/b/${bin}`, EMAIL: email, TOKEN: token });
  expect(code, stderr).toBe(0);
  return (JSON.parse(stdout) as CaptureAck).id;
}

/** A Python 3 script whose `r` is the client's response; it gets the bin's URL as URL. */
async function python(interpreter: string, script: string, bin: string): Promise<string> {
  const { code, stdout, stderr } = await run(interpreter, ['-c', `import os, sys\nURL = os.environ["URL"]\n${script}\nsys.stdout.write(r.text)`], { URL: `${server.url}/b/${bin}` });
  expect(code, stderr).toBe(0);
  return (JSON.parse(stdout) as CaptureAck).id;
}

async function api(a: string, b: string, strict = false): Promise<CompareResult> {
  const response = await fetch(`${server.url}/api/compare?a=${a}&b=${b}${strict ? '&strict=1' : ''}`);
  expect(response.status).toBe(200);
  return (await response.json()) as CompareResult;
}

/**
 * The comparison as the API gives it, checked against the built CLI: `--json` from the database and from the
 * server are the same object, the text's headline is the API's first sentence, and the exit status says same or not.
 */
async function compared(a: string, b: string, strict = false): Promise<CompareResult> {
  const result = await api(a, b, strict);
  const flags = strict ? ['--strict'] : [];
  const local = await run(process.execPath, [cliPath, 'diff', '--db', server.dbPath, '--json', ...flags, a, b]);
  const remote = await run(process.execPath, [cliPath, 'diff', '--server', server.url, '--json', ...flags, a, b]);
  expect(local.stderr).toBe('');
  expect(JSON.parse(local.stdout)).toEqual(result);
  expect(JSON.parse(remote.stdout)).toEqual(result);
  const text = await run(process.execPath, [cliPath, 'diff', '--db', server.dbPath, ...flags, a, b]);
  expect(text.code).toBe(result.same ? 0 : 1);
  expect(text.stdout.split('\n')[3]).toBe(result.same ? 'No differences.' : result.summary[0]);
  for (const line of result.summary.slice(1)) expect(text.stdout).toContain(`· ${line}\n`);
  return result;
}

describe.skipIf(!hasCurl)('curl (skipped: curl is not installed)', () => {
  it('curl -u against a header built with echo | base64: the same credentials, and the line break named', async () => {
    const works = await sh('curl -sS -u "$EMAIL/token:$TOKEN" "$URL/tickets.json"', 'pair-echo');
    const fails = await sh('curl -sS -H "Authorization: Basic $(echo "$EMAIL/token:$TOKEN" | base64 -w0)" "$URL/tickets.json"', 'pair-echo');
    const result = await compared(works, fails);
    expect(result.summary).toEqual(["Same credentials, but B's API token ends with a line break"]);
    expect(result.authorization).toMatchObject({ firstDifference: 41, onlyInB: [expect.objectContaining({ code: 'trailing-newline' })] });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('headers sent in another order: no difference, unless strict', async () => {
    const a = await sh('curl -sS -H "X-Request-Id: 7" -H "Accept-Language: en" "$URL/order"', 'pair-order');
    const b = await sh('curl -sS -H "Accept-Language: en" -H "X-Request-Id: 7" "$URL/order"', 'pair-order');
    expect(await compared(a, b)).toMatchObject({ same: true, summary: [], headerNotes: ['The headers both send come in a different order'] });
    expect(await compared(a, b, true)).toMatchObject({ same: false, summary: ['The headers both send come in a different order'] });
  });
});

describe.skipIf(!requestsPython || !httpxPython)(
  `Python requests against httpx${!requestsPython ? ' (skipped: python3 cannot import requests)' : ''}${!httpxPython ? ' (skipped: python3 cannot import httpx; apt-get install python3-httpx)' : ''}`,
  () => {
    it('a non-ASCII password: the same credentials, Latin-1 from requests and UTF-8 from httpx', async () => {
      const auth = `("${email}", "pässwörd")`;
      const fromRequests = await python(requestsPython!, `import requests\nr = requests.get(URL + "/me", auth=${auth})`, 'pair-python');
      const fromHttpx = await python(httpxPython!, `import httpx\nr = httpx.get(URL + "/me", auth=${auth})`, 'pair-python');
      const result = await compared(fromRequests, fromHttpx);
      expect(result.summary[0]).toBe('Same credentials, but different encoding: A is ISO-8859-1 (Latin-1), B is UTF-8');
      expect(result.authorization.firstDifference).toBeNull();
      // The clients announce themselves: that is a header difference, said after the credentials.
      expect(result.headers.find((h) => h.name.toLowerCase() === 'user-agent')?.change).toBe('changed');
    });
  },
);

describe.skipIf(!requestsPython || !hasCurl)(
  `a signed JSON body re-serialised${!requestsPython ? ' (skipped: python3 cannot import requests)' : ''}${!hasCurl ? ' (skipped: curl is not installed)' : ''}`,
  () => {
    it('a JSON body re-serialised on the way: the same JSON in other bytes, and the Zendesk signature no longer verifies', async () => {
      const secret = 'zendesk-signing-secret-for-the-pair';
      // The sender: Python serialises with json.dumps (", " and ": ") and signs those bytes, as Zendesk signs what it sends.
      const sent = await python(
        requestsPython!,
        [
          'import base64, hashlib, hmac, json, requests',
          'body = json.dumps({"ticket": {"id": 35436, "status": "open", "tags": ["vip", "eu"]}})',
          'stamp = "2024-05-01T12:00:00Z"',
          `mac = base64.b64encode(hmac.new(b"${secret}", (stamp + body).encode(), hashlib.sha256).digest()).decode()`,
          'headers = {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature": mac, "X-Zendesk-Webhook-Signature-Timestamp": stamp}',
          'r = requests.post(URL + "/zendesk", data=body.encode(), headers=headers)',
        ].join('\n'),
        'pair-json',
      );
      const original = (await (await fetch(`${server.url}/api/requests/${sent}`)).json()) as { headers: [string, string][]; body: { text: string } };
      const signature = (name: string) => original.headers.find(([n]) => n.toLowerCase() === name)![1];
      // Passed on by a proxy that parsed the JSON and wrote it compactly, signature headers kept: curl sends that copy.
      const compact = JSON.stringify(JSON.parse(original.body.text));
      const passedOn = await sh(
        `curl -sS -H "Content-Type: application/json" -H "X-Zendesk-Webhook-Signature: ${signature('x-zendesk-webhook-signature')}" ` +
          `-H "X-Zendesk-Webhook-Signature-Timestamp: ${signature('x-zendesk-webhook-signature-timestamp')}" --data-binary '${compact}' "$URL/zendesk"`,
        'pair-json',
      );
      const result = await compared(sent, passedOn);
      expect(result.body).toEqual({ kind: 'json', same: true, sameBytes: false, changes: [] });
      expect(result.signatures.schemes).toEqual([
        {
          scheme: 'zendesk',
          sameSignature: true,
          differentInputs: ['body'],
          bodyUnknown: false,
          summary: 'Zendesk signatures: the same signature, though the body bytes (the same JSON, written differently) differ, so one of them cannot verify',
        },
      ]);
      expect(result.summary).toContain('The bodies are the same JSON, written with different bytes (a signature over the body tells them apart)');
      const verify = async (id: string) =>
        ((await (await fetch(`${server.url}/api/requests/${id}/verify`, { method: 'POST', body: JSON.stringify({ secret }), headers: { 'content-type': 'application/json' } })).json()) as VerifyResult)
          .signatures[0]!.status;
      expect([await verify(sent), await verify(passedOn)]).toEqual(['valid', 'invalid']);
    });
  },
);
