import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a program with a time limit; rejects with its stderr when it fails. */
export async function run(program: string, args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync(program, args, { cwd, timeout: 10_000, env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${program} failed: ${stderr || message}`);
  }
}
