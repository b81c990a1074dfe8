import type { BridgeConfig } from './bridge-config.js';

/** One thing wrong with the configuration, located precisely enough to fix. */
export interface ConfigProblem {
  /** Where the value came from: a file as shown to the user (`config.jsonc`), a flag (`--port`) or a variable (`BRIDGE_PORT`). */
  source: string;
  /** Key path inside a file (`port`, `claude-3-opus[1].session_id`); empty for the file or flag itself. */
  path: string;
  /** What is wrong, e.g. `expected an integer from 0 to 65535, got "abc"`. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/**
 * Thrown by `loadConfig` when the configuration cannot be used. Lists every problem found, not just
 * the first; `format()` renders them for a terminal. The CLI prints it and exits with code 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  /**
   * The configuration with every rejected value left at its default, for diagnostics such as
   * `doctor`. Never run the bridge with it.
   */
  readonly bestEffort: Readonly<BridgeConfig> | undefined;

  constructor(problems: readonly ConfigProblem[], bestEffort?: Readonly<BridgeConfig>) {
    super(`Invalid configuration: ${problems.map(describeProblem).join('; ')}`);
    this.problems = Object.freeze([...problems]);
    this.bestEffort = bestEffort;
  }

  /** A multi-line report: one line per problem with its fix indented below. */
  format(): string {
    const count = this.problems.length;
    const lines = [`Invalid configuration (${count} problem${count === 1 ? '' : 's'}):`];
    for (const problem of this.problems) {
      lines.push(`  ✗ ${describeProblem(problem)}`, `    → ${problem.fix}`);
    }
    return lines.join('\n');
  }
}

function describeProblem(problem: ConfigProblem): string {
  const where = problem.path === '' ? problem.source : `${problem.source}: ${problem.path}`;
  return `${where}: ${problem.message}`;
}

/** True for a {@link ConfigError}, also across module copies (matched by name and shape). */
export function isConfigError(value: unknown): value is ConfigError {
  return (
    value instanceof Error &&
    value.name === 'ConfigError' &&
    Array.isArray((value as { problems?: unknown }).problems) &&
    typeof (value as { format?: unknown }).format === 'function'
  );
}
