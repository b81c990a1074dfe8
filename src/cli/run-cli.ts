import { parseArgs } from 'node:util';
import { isConfigError } from '../config/index.js';
import { printError, printLine, type CliIo } from './cli-io.js';
import type { CliCommand } from './command.js';
import { COMMANDS } from './commands/index.js';
import { readPackageVersion } from '../config/index.js';

const GLOBAL_HELP_FLAGS = new Set(['--help', '-h']);
const VERSION_FLAGS = new Set(['--version', '-V']);

/**
 * Runs `lmarena-bridge <command> [options]` in-process and resolves with the exit code: 0 success,
 * 1 failure, 2 bad usage or invalid configuration. Never throws.
 * @example process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const version = await readPackageVersion();
  const [first, ...rest] = argv;
  if (first !== undefined && VERSION_FLAGS.has(first)) {
    printLine(io, version);
    return 0;
  }
  if (first !== undefined && GLOBAL_HELP_FLAGS.has(first)) {
    printLine(io, globalHelp(version));
    return 0;
  }
  if (first === 'help') {
    const command = rest[0] === undefined ? undefined : findCommand(rest[0]);
    printLine(io, command === undefined ? globalHelp(version) : command.help);
    return rest[0] === undefined || command !== undefined ? 0 : usageError(io, `unknown command "${rest[0]}"`);
  }
  const named = first === undefined || first.startsWith('-') ? undefined : findCommand(first);
  if (first !== undefined && !first.startsWith('-') && named === undefined) {
    return usageError(io, `unknown command "${first}"`);
  }
  const command = named ?? (COMMANDS[0] as CliCommand);
  const args = named === undefined ? argv : rest;

  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error), command);
  }
  if (values['help'] === true) {
    printLine(io, command.help);
    return 0;
  }
  try {
    return await command.run({ argv: args, values, io, version });
  } catch (error) {
    if (isConfigError(error)) {
      printError(io, error.format());
      return 2;
    }
    const debug = values['log-level'] === 'debug' || (values['log-level'] === undefined && io.env['BRIDGE_LOG_LEVEL'] === 'debug');
    const message = error instanceof Error ? error.message : String(error);
    if (debug && error instanceof Error && error.stack !== undefined) printError(io, `lmarena-bridge ${command.name}: ${error.stack}`);
    else printError(io, `lmarena-bridge ${command.name}: ${message} (run with --log-level debug for details)`);
    return 1;
  }
}

function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}

function usageError(io: CliIo, message: string, command?: CliCommand): number {
  printError(io, `lmarena-bridge: ${message}`);
  printError(io, `Run "lmarena-bridge ${command === undefined ? '' : `${command.name} `}--help" for usage.`);
  return 2;
}

function globalHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  const commands = COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join('\n');
  return `LMArena Bridge ${version}: an OpenAI-compatible API for the models on LMArena (arena.ai).

Usage: lmarena-bridge [command] [options]

Commands:
${commands}

Global options:
  -h, --help     show help (also: lmarena-bridge <command> --help, lmarena-bridge help <command>)
  -V, --version  print the version

Without a command, "serve" runs with the given options.
Configuration: docs/configuration.md`;
}
