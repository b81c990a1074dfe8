import type { CliIo } from './cli-io.js';

/** Flag definitions in node:util parseArgs form. */
export type CommandOptions = Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;

/** What a command receives. */
export interface CommandContext {
  /** The arguments after the command name, as given (for loadConfig). */
  argv: readonly string[];
  /** Parsed flags (strict: unknown flags were rejected before the command ran). */
  values: Readonly<Record<string, string | boolean | undefined>>;
  io: CliIo;
  version: string;
}

/**
 * One `lmarena-bridge <name>` command. Adding a command is adding one file in ./commands and one
 * entry in ./commands/index.ts.
 */
export interface CliCommand {
  name: string;
  /** One line for the global help. */
  summary: string;
  /** The full `--help` text of the command. */
  help: string;
  options: CommandOptions;
  /** Resolves with the exit code. */
  run(context: CommandContext): Promise<number>;
}
