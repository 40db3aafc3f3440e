import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the shell line a script runs, `curl -H "Authorization: Basic $(printf %s "$CREDENTIALS" | base64 …)" URL`,
 * with the real curl and GNU base64: with base64's default wrapping at 76 columns (a credential past 57
 * bytes) the HTTP parser refuses it, with `-w0` it is a good request. Resolves to the id authbin stored it as.
 */
export async function curlWithBase64(url: string, credentials: string, base64Flags: '' | '-w0'): Promise<string> {
  const { stdout } = await run('sh', ['-c', `curl -sS -H "Authorization: Basic $(printf %s "$CREDENTIALS" | base64 ${base64Flags})" "$URL"`], {
    env: { PATH: process.env.PATH ?? '', CREDENTIALS: credentials, URL: url },
  });
  const refused = /Stored as request (\d+) in bin/.exec(stdout);
  return refused ? refused[1]! : (JSON.parse(stdout) as { id: string }).id;
}
