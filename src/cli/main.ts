#!/usr/bin/env node
/** Entry point of the `lmarena-bridge` command: hands the real process to runCli. */
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
