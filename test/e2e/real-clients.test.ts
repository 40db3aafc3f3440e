import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureAck, RequestDetail } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The clients a user's own script uses, run for real against the built server: what each one puts
 * on the wire is stored byte for byte, and the analysis names the mistake it made.
 */

const email = 'jdoe@example.com';
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const docBase64 = 'amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;
const hasRequests = hasPython && spawnSync('python3', ['-c', 'import requests']).status === 0;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

/** Runs a shell line, as typed in a terminal, with the bin's URL in $URL and the credentials in $EMAIL and $TOKEN. */
function sh(line: string, bin: string): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', URL: `${server.url}/b/${bin}`, EMAIL: email, TOKEN: token };
  // Not execFileSync: the client waits for the server's answer, and the test must keep running meanwhile.
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', line], { env, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${line}\n${stderr}`)) : resolve(stdout)));
  });
}

/** A Python 3 script whose last value `r` is the response: `requests` or `urllib` is imported by the script itself. */
function python(script: string, bin: string): Promise<string> {
  return sh(`python3 -c ${shellQuote(`import base64, os, sys\nURL = os.environ["URL"]\nEMAIL = os.environ["EMAIL"]\nTOKEN = os.environ["TOKEN"]\n${script}\nsys.stdout.write(r)`)}`, bin);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

async function stored(answer: string): Promise<RequestDetail> {
  const { id } = JSON.parse(answer) as CaptureAck;
  const response = await fetch(`${server.url}/api/requests/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RequestDetail;
}

function authorization(detail: RequestDetail): string | undefined {
  return detail.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
}

function codes(detail: RequestDetail): string[] {
  return detail.analysis.findings.map((f) => `${f.severity} ${f.code}`);
}

describe.skipIf(!hasCurl)('curl (skipped: curl is not installed)', () => {
  it('curl -u "$EMAIL/token:$TOKEN": the right header, nothing to say', async () => {
    const detail = await stored(await sh('curl -sS -u "$EMAIL/token:$TOKEN" "$URL"', 'curl-u'));
    expect(authorization(detail)).toBe(`Basic ${docBase64}`);
    expect(detail.analysis.basic).toMatchObject({ email, kind: 'api-token' });
    expect(codes(detail)).toEqual([]);
  });

  it("curl -H 'Authorization: Bearer $TOKEN' in single quotes: the variable's name arrives", async () => {
    const detail = await stored(await sh(`curl -sS -H 'Authorization: Bearer $TOKEN' "$URL"`, 'curl-single-quotes'));
    expect(authorization(detail)).toBe('Bearer $TOKEN');
    expect(codes(detail)).toEqual(['error unresolved-variable']);
    expect(detail.analysis.findings[0]?.fix).toMatch(/double quotes/);
  });

  it("echo without -n piped to base64 -w0: the newline is named", async () => {
    const detail = await stored(await sh('curl -sS -H "Authorization: Basic $(echo "$EMAIL/token:$TOKEN" | base64 -w0)" "$URL"', 'curl-echo'));
    expect(authorization(detail)).toBe(`Basic ${Buffer.from(`${email}/token:${token}\n`).toString('base64')}`);
    expect(codes(detail)).toEqual(['error trailing-newline']);
  });

  it("the Zendesk article's placeholder pasted as it is", async () => {
    const detail = await stored(await sh(`curl -sS -H 'Authorization: Basic {base-64-encoded email_address/token:api_token}' "$URL"`, 'curl-placeholder'));
    expect(authorization(detail)).toBe('Basic {base-64-encoded email_address/token:api_token}');
    expect(codes(detail)).toEqual(['error placeholder']);
  });
});

describe.skipIf(!hasRequests)('Python requests (skipped: python3 or its requests package is not installed)', () => {
  it('auth=(email/token, token): the right header, nothing to say', async () => {
    const detail = await stored(await python('import requests\nr = requests.get(URL, auth=(EMAIL + "/token", TOKEN)).text', 'requests-auth'));
    expect(authorization(detail)).toBe(`Basic ${docBase64}`);
    expect(codes(detail)).toEqual([]);
  });

  it('an f-string over base64.b64encode(): b\'…\' arrives, the credentials inside are read', async () => {
    const script = 'import requests\nr = requests.get(URL, headers={"Authorization": f"Basic {base64.b64encode(f\'{EMAIL}/token:{TOKEN}\'.encode())}"}).text';
    const detail = await stored(await python(script, 'requests-bytes'));
    expect(authorization(detail)).toBe(`Basic b'${docBase64}'`);
    expect(detail.analysis.basic).toMatchObject({ email, kind: 'api-token', secret: token });
    expect(codes(detail)).toEqual(['error python-bytes']);
  });

  it("a non-ASCII password: requests encodes it as Latin-1", async () => {
    const detail = await stored(await python('import requests\nr = requests.get(URL, auth=(EMAIL, "pässwort")).text', 'requests-latin1'));
    expect(authorization(detail)).toBe(`Basic ${Buffer.from(`${email}:pässwort`, 'latin1').toString('base64')}`);
    expect(codes(detail)).toEqual(['error latin1']);
  });
});

describe.skipIf(!hasPython)('Python urllib (skipped: python3 is not installed)', () => {
  it('str() over the bytes of the whole header value', async () => {
    const script = 'import urllib.request\nvalue = str(b"Basic " + base64.b64encode((EMAIL + "/token:" + TOKEN).encode()))\nr = urllib.request.urlopen(urllib.request.Request(URL, headers={"Authorization": value})).read().decode()';
    const detail = await stored(await python(script, 'urllib-bytes'));
    expect(authorization(detail)).toBe(`b'Basic ${docBase64}'`);
    expect(detail.analysis.basic).toMatchObject({ email, kind: 'api-token' });
    expect(codes(detail)).toEqual(['error python-bytes']);
  });
});
