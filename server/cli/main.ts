#!/usr/bin/env node
// The authbin command: `authbin [serve] [flags]` runs the server (`npm start` too), `authbin <command>` the others.
import { text } from 'node:stream/consumers';
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (chunk) => process.stdout.write(chunk),
  stderr: (chunk) => process.stderr.write(chunk),
  readStdin: () => text(process.stdin),
  stdinIsTerminal: process.stdin.isTTY === true,
  stdoutIsTerminal: process.stdout.isTTY === true,
  now: () => Date.now(),
});
