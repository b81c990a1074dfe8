import { homedir } from 'node:os';
import {
  CONFIG_FLAG_OPTIONS,
  configFlagsHelp,
  defaultConfig,
  defaultDataDir,
  isConfigError,
  loadConfig,
  type BridgeConfig,
} from '../../config/index.js';
import { printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { runChecks, type CheckResult } from './doctor-checks.js';

/** `lmarena-bridge doctor`: checks the environment and prints a fix for each problem. */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check Node, configuration, data directory, port and browser',
  options: CONFIG_FLAG_OPTIONS,
  help: `Usage: lmarena-bridge doctor [options]

Checks what the bridge needs and prints ✓ or ✗ with a fix for each item:
Node.js version, configuration, data directory, state database, port, Chromium.
Exits with 1 if a check fails. Takes the same configuration options as serve.

Options:
${configFlagsHelp()}
  -h, --help              show this help`,

  async run({ argv, io }) {
    const homeDir = io.homeDir ?? homedir();
    const results: CheckResult[] = [];
    let config: BridgeConfig;
    try {
      const loaded = await loadConfig({ argv, env: io.env, cwd: io.cwd, homeDir });
      config = loaded.config;
      const where = loaded.sources.configFile ?? 'no config.jsonc found; defaults';
      results.push({ status: 'ok', label: `Configuration valid (${where})`, details: loaded.warnings.map((warning) => `warning: ${warning}`) });
    } catch (error) {
      if (!isConfigError(error)) throw error;
      config = error.bestEffort ?? defaultConfig({ dataDir: defaultDataDir({ env: io.env, homeDir }) });
      results.push({
        status: 'fail',
        label: `Configuration invalid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}); the checks below use defaults for the rejected values`,
        details: error.format().split('\n').slice(1),
      });
    }
    results.push(...(await runChecks(config)));
    for (const result of results) {
      const mark = result.status === 'ok' ? '✓' : result.status === 'warn' ? '!' : '✗';
      printLine(io, `${mark} ${result.label}`);
      for (const detail of result.details ?? []) printLine(io, `    ${detail}`);
      if (result.fix !== undefined) printLine(io, `    → ${result.fix}`);
    }
    const failed = results.filter((result) => result.status === 'fail').length;
    printLine(io, failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
    return failed === 0 ? 0 : 1;
  },
};
