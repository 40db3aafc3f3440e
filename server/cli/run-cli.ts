import { decodeCommand } from './decode.ts';
import { diffCommand } from './diff.ts';
import { forwardCommand } from './forward.ts';
import { UsageError, type CliIo } from './io.ts';
import { rulesCommand } from './rules.ts';
import { runSign } from './sign.ts';
import { verifyCommand } from './verify.ts';
import { authbinVersion } from './version.ts';

type Command = (args: string[], io: CliIo) => Promise<number>;

/** Each command and its one-line description; `authbin help` lists them. */
const commands: Record<string, { run: Command; summary: string }> = {
  serve: {
    run: async (args) => {
      // Loaded only here: the other commands never open a database.
      const { serve } = await import('../main.ts');
      await serve(args);
      return 0;
    },
    summary: 'run the server (the default: "authbin --port 9000" is "authbin serve --port 9000"); serve --help lists its options',
  },
  decode: { run: decodeCommand, summary: 'explain an Authorization header, and compare it with what you expected' },
  sign: {
    run: (args, io) => runSign(args, { out: io.stdout, err: io.stderr }),
    summary: 'print the signature headers a webhook sender would attach to a body',
  },
  forward: { run: forwardCommand, summary: "relay a bin's requests to a local server, byte for byte (resumes after a disconnect)" },
  verify: { run: verifyCommand, summary: "check a captured request's webhook signature with your secret (asks a running authbin)" },
  rules: { run: rulesCommand, summary: "read or replace a bin's rules, reset their counters, or apply a preset (zendesk, basic, retry, flaky)" },
  diff: { run: diffCommand, summary: 'compare two captured requests: what differs, Authorization first (local database, or --server)' },
};

function overview(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`);
  return `Usage: authbin [command] [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "authbin <command> --help" for a command's options.\n`;
}

/**
 * Runs `authbin <command> …` and returns the exit code: 0 success, 1 a problem found, 2 a bad
 * command line (printed with the command's usage hint, never a stack trace). No command, or only
 * flags, runs the server.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first] = argv;
  if (first === 'help' || first === '--help' || first === '-h') {
    io.stdout(overview());
    return 0;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout(`${authbinVersion()}\n`);
    return 0;
  }
  const runsServer = first === undefined || first.startsWith('-');
  const name = runsServer ? 'serve' : first;
  const args = runsServer ? argv : argv.slice(1);
  const command = commands[name];
  if (!command) {
    io.stderr(`authbin: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`authbin ${name}: ${error.message}\nRun "authbin ${name} --help" for usage.\n`);
    return 2;
  }
}
