/** What a CLI command may touch: output streams, standard input and the clock. Tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input as text. */
  readStdin(): Promise<string>;
  /** True when standard input is a terminal, so there is nothing piped to read. */
  stdinIsTerminal: boolean;
  /** True when standard output is a terminal, where colours help; absent or false when it goes to a file or a pipe. */
  stdoutIsTerminal?: boolean;
  now(): number;
}

/** Thrown for a bad command line: the message is printed with a hint, and the exit code is 2. */
export class UsageError extends Error {}
