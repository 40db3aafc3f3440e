import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';

/** Fixtures made the way people make them: real shell tools, Node's Buffer, real HS256 JWTs. */

/** The Zendesk docs' worked example. */
export const docEmail = 'jdoe@example.com';
export const docToken = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
export const docHeader = 'Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2';
export const docCredentials = `${docEmail}/token:${docToken}`;

/** Output of a POSIX shell pipeline, as a person would run it in a terminal. */
export function shell(pipeline: string, input?: string): string {
  return execFileSync('sh', ['-c', pipeline], { encoding: 'utf8', input: input ?? '', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' } });
}

/** What a Python 3 snippet prints (without print's final newline), as the user's script would build it. */
export function python(code: string): string {
  return execFileSync('python3', ['-c', `import base64, sys\nsys.stdout.write(${code})`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' } });
}

/** Single-quotes `text` for the shell. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `Basic` + base64 of `text` in `encoding`, as Node code (or PowerShell's GetBytes) produces it. */
export function basicWith(text: string, encoding: BufferEncoding = 'utf8'): string {
  return `Basic ${Buffer.from(text, encoding).toString('base64')}`;
}

/** A JWT signed with HS256 by Node's crypto, with the given payload. */
export function signedJwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode(header)}.${encode(payload)}`;
  const signature = header.alg === 'none' ? '' : createHmac('sha256', 'test-key').update(body).digest('base64url');
  return `${body}.${signature}`;
}

/** Seconds since the epoch, `offset` seconds from `now` (ms). */
export function epochSeconds(now: number, offset: number): number {
  return Math.floor(now / 1000) + offset;
}
