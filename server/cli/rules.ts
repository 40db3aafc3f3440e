/** `authbin rules get|set|reset|preset`: a bin's rules (#19) through a running authbin's API. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ApiError } from '../../shared/api.ts';
import { isBinName } from '../../shared/http/bin-name.ts';
import type { Rule, RulesResponse } from '../../shared/rules/types.ts';
import { UsageError, type CliIo } from './io.ts';
import { presetNames, presetRules, type PresetName } from './rules-preset.ts';

export const rulesUsage = `Usage: authbin rules <get|set|reset|preset> --bin <name> [options]

Reads and changes a bin's rules on a running authbin: the first rule whose conditions hold answers
a capture, else the bin's response does. Secrets come back masked (last 4 characters and length).

  authbin rules get --bin NAME                  print the rules as JSON
  authbin rules set --bin NAME --file FILE      replace them with FILE ("-": standard input), which
                                                holds {"rules": [...]} as get prints it, or the bare list
  authbin rules reset --bin NAME                set every rule's answered counter back to 0
  authbin rules preset zendesk --bin NAME --email E --token-stdin
                                                401 "Couldn't authenticate you" with the reason unless
                                                the credentials match, then 200 with a user
  authbin rules preset basic --bin NAME --email E --password-stdin
                                                401 with a Basic challenge until the credentials match
  authbin rules preset retry --bin NAME --count K --retry-after N
                                                429 with Retry-After: N to the first K requests
  authbin rules preset flaky --bin NAME --count K
                                                503 to the first K requests

Options:
  --bin <name>         the bin
  --file <file>        for set: the rules, or - to read them from standard input
  --email <email>      for zendesk and basic: the user of the expected credentials
  --token-stdin        the expected API token, read from standard input (never from the command line)
  --password-stdin     the expected password, read from standard input
  --oauth-stdin        the expected OAuth token, read from standard input (no --email)
  --count <K>          for retry and flaky: how many requests the rule answers
  --retry-after <N>    for retry: the seconds in Retry-After
  --append             for preset: add the preset after the bin's rules instead of replacing them
  --server <url>       the authbin to ask (default $AUTHBIN_URL or http://127.0.0.1:8787)
  --token <token>      its AUTHBIN_TOKEN, if it has one (default $AUTHBIN_TOKEN)
  --json               for set, reset and preset: print the rules as JSON, as get does
  -h, --help           show this help

Exit status: 0 done, 1 the server refused (the message names the field, e.g.
rules[0].when[0].header.matches), 2 a bad command line or an unreachable server.
`;

const actions = ['get', 'set', 'reset', 'preset'] as const;
type Action = (typeof actions)[number];

/** The server refused or could not be asked: printed, with the exit status it calls for. */
class RulesFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

interface Api {
  server: string;
  token: string | undefined;
  bin: string;
}

async function call(api: Api, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<RulesResponse> {
  let response: Response;
  try {
    response = await fetch(`${api.server}/api/bins/${api.bin}/rules${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(api.token && { authorization: `Bearer ${api.token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as Error).cause;
    throw new RulesFailure(`cannot reach ${api.server}: ${cause instanceof Error ? cause.message : (error as Error).message}`, 2);
  }
  let answer: RulesResponse | ApiError;
  try {
    answer = (await response.json()) as RulesResponse | ApiError;
  } catch {
    throw new RulesFailure(`${api.server} answered ${response.status} without JSON: is it an authbin?`, 2);
  }
  if ('error' in answer) throw new RulesFailure(answer.error.message, response.status === 401 ? 2 : 1);
  return answer;
}

/** What `set` sends, from a file or standard input (`-`): `{"rules": [...]}` as `get` prints it, or the bare list. */
async function rulesFromFile(file: string, io: CliIo): Promise<unknown> {
  const name = file === '-' ? 'standard input' : file;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new RulesFailure(`cannot read ${name}: ${(error as Error).message}`, 2);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RulesFailure(`${name} is not JSON: ${(error as Error).message}`, 2);
  }
  return Array.isArray(parsed) ? { rules: parsed } : parsed;
}

/** One line per rule: what it answers and how often it has. */
function summary(bin: string, rules: Rule[]): string {
  const lines = rules.map((rule, i) => {
    const answered = rule.times === undefined ? `answered ${rule.answered ?? 0}` : `answered ${rule.answered ?? 0} of ${rule.times}`;
    return `  ${i + 1}. ${rule.name || '(no name)'}: ${rule.respond.status ?? "the bin's status"}, ${answered}\n`;
  });
  return `Bin ${bin} has ${rules.length} rule${rules.length === 1 ? '' : 's'}${rules.length ? ':' : '.'}\n${lines.join('')}`;
}

export async function rulesCommand(args: string[], io: CliIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values, positionals } = parseOptions(args);
  if (values.help) {
    io.stdout(rulesUsage);
    return 0;
  }
  const [action, presetName, ...extra] = positionals;
  if (!actions.includes(action as Action)) throw new UsageError(`give what to do: ${actions.join(', ')}`);
  if (action === 'preset' && !presetNames.includes(presetName as PresetName)) throw new UsageError(`give the preset: ${presetNames.join(', ')}`);
  if (extra.length > 0 || (action !== 'preset' && presetName !== undefined)) throw new UsageError(`unexpected "${(action === 'preset' ? extra[0] : presetName)!.slice(0, 40)}"`);
  if (values.bin === undefined || !isBinName(values.bin)) throw new UsageError('--bin <name> is required (1–64 letters, digits, "_" or "-")');
  if ((action === 'set') !== (values.file !== undefined)) throw new UsageError(action === 'set' ? '--file <file> is required (- for standard input)' : '--file goes with set');
  const presetFlag = (['email', 'token-stdin', 'password-stdin', 'oauth-stdin', 'count', 'retry-after', 'append'] as const).find((flag) => values[flag] !== undefined);
  if (presetFlag && action !== 'preset') throw new UsageError(`--${presetFlag} goes with preset`);
  const api: Api = { server: (values.server ?? env.AUTHBIN_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, ''), token: values.token ?? env.AUTHBIN_TOKEN, bin: values.bin };

  try {
    let rules: RulesResponse;
    if (action === 'get') {
      io.stdout(`${JSON.stringify(await call(api, 'GET', ''), null, 2)}\n`);
      return 0;
    }
    if (action === 'reset') rules = await call(api, 'POST', '/reset');
    else if (action === 'set') {
      rules = await call(api, 'PUT', '', await rulesFromFile(values.file!, io));
    } else {
      const added = await presetRules(presetName as PresetName, values, io);
      // Rules kept from before go back with their secrets masked: the server keeps the stored ones.
      const before = values.append ? (await call(api, 'GET', '')).rules : [];
      rules = await call(api, 'PUT', '', { rules: [...before, ...added] });
    }
    io.stdout(values.json ? `${JSON.stringify(rules, null, 2)}\n` : summary(api.bin, rules.rules));
    return 0;
  } catch (error) {
    if (!(error instanceof RulesFailure)) throw error;
    io.stderr(`authbin rules: ${error.message}\n`);
    return error.exitCode;
  }
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        bin: { type: 'string' },
        file: { type: 'string' },
        email: { type: 'string' },
        'token-stdin': { type: 'boolean' },
        'password-stdin': { type: 'boolean' },
        'oauth-stdin': { type: 'boolean' },
        count: { type: 'string' },
        'retry-after': { type: 'string' },
        append: { type: 'boolean' },
        server: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
