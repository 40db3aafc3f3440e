/**
 * `authbin sign`: prints the signature headers a webhook sender would attach to a body, so one can
 * test one's own receiver with curl.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SIGNATURE_SCHEMES, isSignatureScheme, signRequest } from '../../shared/signatures/index.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const signUsage = `Usage: authbin sign --scheme <scheme> (--secret <secret> | --secret-file <file>) --body-file <file>
                   [--timestamp <t>] [--url <url>] [--id <id>] [--curl]

Prints the headers a webhook sender would attach to the body, one "Name: value" per line.

  --scheme S         ${SIGNATURE_SCHEMES.join(', ')}
  --secret S         the signing secret, exactly as the sender's dashboard shows it
  --secret-file F    read the secret from a file instead (one trailing newline is ignored),
                     which keeps it out of shell history and the process list
  --body-file F      the exact bytes to sign (/dev/null for an empty body)
  --timestamp T      written verbatim: ISO-8601 for zendesk (2021-03-25T05:09:27Z),
                     unix seconds for stripe, slack and standard-webhooks; default now
  --url U            the URL the request is sent to (twilio signs it)
  --id ID            standard-webhooks message id (default: a random msg_…)
  --curl             print a curl command that sends the signed body to --url
`;

const options = {
  scheme: { type: 'string' },
  secret: { type: 'string' },
  'secret-file': { type: 'string' },
  'body-file': { type: 'string' },
  timestamp: { type: 'string' },
  url: { type: 'string' },
  id: { type: 'string' },
  curl: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

/** Single-quotes `text` for a POSIX shell. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function readSecret(values: ReturnType<typeof parse>): Promise<string> {
  if (values.secret !== undefined && values['secret-file'] !== undefined) throw new UsageError('give --secret or --secret-file, not both');
  const secret =
    values['secret-file'] !== undefined
      ? (await readInput(values['secret-file'], 'secret')).toString('utf8').replace(/\r?\n$/, '')
      : values.secret;
  if (secret === undefined) throw new UsageError('--secret or --secret-file is required');
  if (secret === '') throw new UsageError('the secret is empty');
  return secret;
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Runs `authbin sign` with the arguments after `sign`; returns the exit code
 * (0 printed, 1 failed, 2 bad usage).
 * @example await runSign(['--scheme', 'github', '--secret', 's', '--body-file', 'body.json'], { out, err })
 */
export async function runSign(argv: string[], io: CliIo): Promise<number> {
  try {
    const values = parse(argv);
    if (values.help) {
      io.out(signUsage);
      return 0;
    }
    const scheme = values.scheme;
    if (scheme === undefined) throw new UsageError('--scheme is required');
    if (!isSignatureScheme(scheme)) throw new UsageError(`unknown scheme "${scheme}"; one of ${SIGNATURE_SCHEMES.join(', ')}`);
    const bodyFile = values['body-file'];
    if (bodyFile === undefined) throw new UsageError('--body-file is required (/dev/null for an empty body)');
    if (values.curl && values.url === undefined) throw new UsageError('--curl needs --url');
    const secret = await readSecret(values);
    const body = await readInput(bodyFile, 'body');
    const headers = await signRequest({
      scheme,
      secret,
      body: new Uint8Array(body),
      ...(values.timestamp !== undefined ? { timestamp: values.timestamp } : {}),
      ...(values.url !== undefined ? { url: values.url } : {}),
      ...(values.id !== undefined ? { id: values.id } : {}),
    });
    if (values.curl && values.url !== undefined) {
      // curl labels --data-binary as a form by default, which is right for Twilio but not for JSON.
      const json = /^\s*[[{]/.test(body.toString('utf8')) ? ['-H ' + shellQuote('Content-Type: application/json')] : [];
      const lines = [
        'curl -sS -X POST',
        `--data-binary @${shellQuote(bodyFile)}`,
        ...json,
        ...headers.map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
        shellQuote(values.url),
      ];
      io.out(`${lines.join(' \\\n  ')}\n`);
    } else {
      io.out(headers.map(([name, value]) => `${name}: ${value}\n`).join(''));
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`authbin sign: ${error.message}\n\n${signUsage}`);
      return 2;
    }
    io.err(`authbin sign: ${(error as Error).message}\n`);
    return 1;
  }
}
