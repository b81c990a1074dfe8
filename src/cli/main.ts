#!/usr/bin/env node
/** Entry point of the `lmarena-bridge` command: hands the real process to runCli. */
import { runCli } from './run-cli.js';
import { allocatorTuning, runtimeGlibcVersion } from './tune-allocator.js';

const argv = process.argv.slice(2);
// `serve` (also the default command) runs for days: give memory back after bursts (tune-allocator.ts).
if (argv[0] === undefined || argv[0] === 'serve' || argv[0].startsWith('-')) {
  const { execve } = process;
  const env = process.platform === 'linux' && execve !== undefined
    ? allocatorTuning({ platform: process.platform, env: process.env, glibcVersion: runtimeGlibcVersion(), canExec: true })
    : undefined;
  if (env !== undefined && execve !== undefined) execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], env);
}

process.exitCode = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
