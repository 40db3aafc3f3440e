import { parseArgs } from 'node:util';
import { analyze, canonicalHeader, readDecodeInput, snippets } from '../../shared/auth/index.ts';
import type { Expected } from '../../shared/auth/types.ts';
import { formatAnalysis } from './format-analysis.ts';
import { UsageError, type CliIo } from './io.ts';

export const decodeUsage = `Usage: authbin decode [<header> | -] [options]

Explains an Authorization header: decodes it, lists every problem with its fix and, given what
you expected, compares part by part. <header> is the value ("Basic amRv…"), a header line
("Authorization: Basic amRv…") or a whole raw HTTP request; "-" or nothing reads it from
standard input, which keeps it out of your shell history.

Options:
  --email <address>            the email of the expected login (with --expect-token or --expect-password)
  --expect-token <api_token>   compare with "email/token:api_token"
  --expect-password <password> compare with "email:password"
  --expect-oauth <token>       compare with "Bearer <token>"
  --expect-header <value>      compare with this exact header value
  --snippets                   print the correct header and code that sends it (needs an --expect option)
  --reveal                     show secrets instead of masking them
  --json                       print the analysis as JSON, as POST /api/analyze returns it
  --now <ISO time>             judge JWT expiry at this time instead of now
  -h, --help                   show this help

Exit status: 0 when there is no error and the credentials match what you expected,
1 when there is an error or they differ, 2 for a bad command line.
`;

const options = {
  email: { type: 'string' },
  'expect-token': { type: 'string' },
  'expect-password': { type: 'string' },
  'expect-oauth': { type: 'string' },
  'expect-header': { type: 'string' },
  snippets: { type: 'boolean' },
  reveal: { type: 'boolean' },
  json: { type: 'boolean' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function expectedFrom(values: Values): Expected | undefined {
  const given = (['expect-token', 'expect-password', 'expect-oauth', 'expect-header'] as const).filter((name) => values[name] !== undefined);
  if (given.length > 1) throw new UsageError(`give only one of ${given.map((g) => `--${g}`).join(', ')}`);
  const email = values.email;
  const needsEmail = values['expect-token'] !== undefined || values['expect-password'] !== undefined;
  if (needsEmail && email === undefined) throw new UsageError(`--${given[0]} needs --email <address>`);
  if (!needsEmail && email !== undefined) throw new UsageError('--email goes with --expect-token or --expect-password');
  if (values['expect-token'] !== undefined) return { kind: 'api-token', email: email ?? '', token: values['expect-token'] };
  if (values['expect-password'] !== undefined) return { kind: 'password', email: email ?? '', password: values['expect-password'] };
  if (values['expect-oauth'] !== undefined) return { kind: 'oauth', token: values['expect-oauth'] };
  if (values['expect-header'] !== undefined) return { kind: 'header', value: values['expect-header'] };
  return undefined;
}

function clock(values: Values, io: CliIo): number {
  if (values.now === undefined) return io.now();
  const time = Date.parse(values.now);
  if (Number.isNaN(time)) throw new UsageError(`--now must be a date and time such as 2025-06-01T12:00:00Z, not "${values.now}"`);
  return time;
}

async function headerText(positionals: string[], io: CliIo): Promise<string> {
  if (positionals.length > 1) throw new UsageError('give one header; quote it, since it contains a space: authbin decode \'Basic amRv…\'');
  const [given] = positionals;
  if (given !== undefined && given !== '-') return given;
  if (given === undefined && io.stdinIsTerminal) throw new UsageError('give a header to decode, or pipe one in');
  // The line break that ends piped input is not part of the header.
  return (await io.readStdin()).replace(/\r?\n$/, '');
}

/** `authbin decode`: the analysis of a pasted header for people in a terminal. Returns the exit code. */
export async function decodeCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(decodeUsage);
    return 0;
  }
  const expected = expectedFrom(values);
  if (values.snippets && !expected) throw new UsageError('--snippets needs one of --expect-token, --expect-password, --expect-oauth, --expect-header');
  const now = clock(values, io);
  const { headers, url, body, contentType } = readDecodeInput(await headerText(positionals, io));
  const analysis = analyze({ headers, url, body, contentType, now, ...(expected && { expected }) });
  if (values.json) {
    io.stdout(`${JSON.stringify(analysis, null, 2)}\n`);
  } else {
    io.stdout(formatAnalysis(analysis, { reveal: values.reveal === true, ...(expected && { expected }) }));
    if (values.snippets && expected) {
      const { name, value } = canonicalHeader(expected);
      io.stdout(`\nThe correct header:\n  ${name}: ${value}\n`);
      for (const snippet of snippets(expected)) io.stdout(`\n${snippet.label}:\n${snippet.code.replace(/^/gm, '  ')}\n`);
    }
  }
  const failed = analysis.findings.some((f) => f.severity === 'error') || analysis.comparison?.match === false;
  return failed ? 1 : 0;
}
