/** `authbin rules preset …`: the shared preset builders, fed from the command line and, for secrets, standard input. */
import { basicChallengePreset, flakyPreset, retryPreset, zendeskApiPreset, type ZendeskCredentials } from '../../shared/rules/presets.ts';
import type { Rule } from '../../shared/rules/types.ts';
import { UsageError, type CliIo } from './io.ts';

export const presetNames = ['zendesk', 'basic', 'retry', 'flaky'] as const;
export type PresetName = (typeof presetNames)[number];

export interface PresetOptions {
  email?: string | undefined;
  'token-stdin'?: boolean | undefined;
  'password-stdin'?: boolean | undefined;
  'oauth-stdin'?: boolean | undefined;
  count?: string | undefined;
  'retry-after'?: string | undefined;
}

const secretFlags = ['token-stdin', 'password-stdin', 'oauth-stdin'] as const;

/**
 * The secret piped in: one trailing line break (what `echo` and most files add) is not part of it.
 * Never read from a terminal, where it would be echoed as it is typed, and never taken from argv,
 * where any user of the machine could read it in the process list.
 */
async function secretFromStdin(io: CliIo, flag: string): Promise<string> {
  if (io.stdinIsTerminal) throw new UsageError(`${flag} reads the secret from standard input: pipe it in, e.g. printenv ZENDESK_TOKEN | authbin rules preset …`);
  const secret = (await io.readStdin()).replace(/\r?\n$/, '');
  if (secret === '') throw new UsageError(`${flag}: standard input was empty`);
  return secret;
}

/** Email + API token, email + password, or an OAuth token: what both Zendesk and a Basic challenge take from the command line. */
async function expectedFrom(options: PresetOptions, io: CliIo): Promise<ZendeskCredentials> {
  const given = secretFlags.filter((flag) => options[flag]);
  if (given.length !== 1) throw new UsageError('give the credentials the rule expects with one of --token-stdin, --password-stdin (each with --email) or --oauth-stdin');
  const flag = given[0]!;
  if (flag === 'oauth-stdin') {
    if (options.email !== undefined) throw new UsageError('--email does not go with --oauth-stdin: an OAuth token carries no email');
    return { kind: 'oauth', token: await secretFromStdin(io, '--oauth-stdin') };
  }
  if (!options.email) throw new UsageError(`--${flag} needs --email, the user the credentials belong to`);
  const secret = await secretFromStdin(io, `--${flag}`);
  return flag === 'token-stdin' ? { kind: 'api-token', email: options.email, token: secret } : { kind: 'password', email: options.email, password: secret };
}

function wholeNumber(value: string | undefined, flag: string, min: number): number {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) throw new UsageError(`${flag} must be a whole number, ${min} or more`);
  return Number(value);
}

function refuseOptions(options: PresetOptions, name: PresetName, flags: readonly (keyof PresetOptions)[]): void {
  const stray = flags.find((flag) => options[flag] !== undefined);
  if (stray) throw new UsageError(`--${stray} does not go with the ${name} preset`);
}

/** The rules a preset builds from the command line's options (reading a secret from stdin when asked). */
export async function presetRules(name: PresetName, options: PresetOptions, io: CliIo): Promise<Rule[]> {
  if (name === 'retry' || name === 'flaky') {
    refuseOptions(options, name, ['email', ...secretFlags, ...(name === 'flaky' ? (['retry-after'] as const) : [])]);
    const times = wholeNumber(options.count, '--count', 1);
    return name === 'flaky' ? flakyPreset({ times }) : retryPreset({ times, retryAfter: wholeNumber(options['retry-after'], '--retry-after', 0) });
  }
  refuseOptions(options, name, ['count', 'retry-after']);
  const expected = await expectedFrom(options, io);
  return name === 'zendesk' ? zendeskApiPreset(expected) : basicChallengePreset(expected);
}
