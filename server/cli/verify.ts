import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import type { ApiError, VerifyResult } from '../../shared/api.ts';
import { SIGNATURE_SCHEMES, isSignatureScheme } from '../../shared/signatures/index.ts';
import { UsageError, type CliIo } from './io.ts';

export const verifyUsage = `Usage: authbin verify --request <id> (--secret <secret> | --secret-file <file>) [options]

Checks the webhook signature of a request a running authbin captured, with your signing secret.
The secret goes to that authbin for this one check and is never stored.

Options:
  --request <id>        the request id (shown in the UI and in the API)
  --secret <secret>     the signing secret as the sender shows it (or --secret-file, to keep it out of shell history)
  --secret-file <file>  read the secret from a file (trailing newline ignored)
  --scheme <scheme>     check only this scheme: ${SIGNATURE_SCHEMES.join(', ')}
  --url <url>           the URL the sender called, when a proxy or tunnel changed it (Twilio)
  --server <url>        the authbin to ask (default $AUTHBIN_URL or http://127.0.0.1:8787)
  --token <token>       its AUTHBIN_TOKEN, if it has one (default $AUTHBIN_TOKEN)
  --json                print the result as the API returns it
  -h, --help            show this help

Exit status: 0 when every signature is valid, 1 when one is not, 2 for a bad command line or an unreachable server.
`;

const statusMark = { valid: '✓ valid', invalid: '✗ invalid', malformed: '✗ malformed', unverified: '? unverified' } as const;

export async function verifyCommand(args: string[], io: CliIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values } = parseOptions(args);
  if (values.help) {
    io.stdout(verifyUsage);
    return 0;
  }
  if (!values.request || !/^\d+$/.test(values.request)) throw new UsageError('--request <id> is required (a request id such as 42)');
  if ((values.secret === undefined) === (values['secret-file'] === undefined)) throw new UsageError('give the secret with --secret or --secret-file (one of them)');
  if (values.scheme !== undefined && !isSignatureScheme(values.scheme)) throw new UsageError(`unknown --scheme "${values.scheme}"; one of ${SIGNATURE_SCHEMES.join(', ')}`);
  const secret = values.secret ?? (await readFile(values['secret-file']!, 'utf8')).replace(/\r?\n$/, '');
  const server = (values.server ?? env.AUTHBIN_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const token = values.token ?? env.AUTHBIN_TOKEN;

  let response: Response;
  try {
    response = await fetch(`${server}/api/requests/${values.request}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ secret, ...(values.scheme && { scheme: values.scheme }), ...(values.url && { url: values.url }) }),
    });
  } catch (error) {
    io.stderr(`authbin verify: cannot reach ${server}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}\n`);
    return 2;
  }
  const body = (await response.json()) as VerifyResult | ApiError;
  if ('error' in body) {
    io.stderr(`authbin verify: ${body.error.message}\n`);
    return 2;
  }
  if (values.json) io.stdout(`${JSON.stringify(body, null, 2)}\n`);
  else if (body.signatures.length === 0) io.stdout(`Request ${values.request} carries no signature header authbin knows.\n`);
  else {
    for (const report of body.signatures) {
      io.stdout(`${statusMark[report.status]}  ${report.scheme} (${report.headers.join(', ')})\n`);
      for (const finding of report.findings) {
        io.stdout(`  ${finding.severity}: ${finding.message}\n${finding.fix ? `    fix: ${finding.fix}\n` : ''}`);
      }
    }
  }
  return body.signatures.length > 0 && body.signatures.every((s) => s.status === 'valid') ? 0 : 1;
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        request: { type: 'string' },
        secret: { type: 'string' },
        'secret-file': { type: 'string' },
        scheme: { type: 'string' },
        url: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
