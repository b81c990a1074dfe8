import { homedir } from 'node:os';
import { CONFIG_FLAG_OPTIONS, configFlagsHelp, loadConfig } from '../../config/index.js';
import type { RunningBridge } from '../../server.js';
import { createCliLogger, printError, printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { waitForShutdown } from '../wait-for-shutdown.js';

/** `lmarena-bridge serve`: runs the bridge until Ctrl+C. The default command. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the OpenAI-compatible bridge (default)',
  options: CONFIG_FLAG_OPTIONS,
  help: `Usage: lmarena-bridge serve [options]

Runs the OpenAI-compatible API and the worker endpoint until Ctrl+C.
Settings come from flags, then BRIDGE_* variables, then config.jsonc, then defaults
(see docs/configuration.md).

Options:
${configFlagsHelp()}
  -h, --help              show this help`,

  async run({ argv, io, version }) {
    const loaded = await loadConfig({ argv, env: io.env, cwd: io.cwd, homeDir: io.homeDir ?? homedir() });
    const { config } = loaded;
    for (const warning of loaded.warnings) printError(io, `warning: ${warning}`);
    const logger = createCliLogger(io, config.logging);
    // Loaded on demand so that --help and the other commands do not load the whole server.
    const { startBridge } = await import('../../server.js');
    let bridge: RunningBridge;
    try {
      bridge = await startBridge({ config, logger, warnings: loaded.warnings, onProgress: (message) => printLine(io, `  ${message}`) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        printError(io, `Cannot listen on ${config.server.host}:${config.server.port} (${code}). ` +
          'Stop the program using it, or choose another address with --host/--port (BRIDGE_HOST/BRIDGE_PORT).');
        return 1;
      }
      throw error;
    }
    const base = clientUrl(bridge.url);
    printLine(io, `LMArena Bridge ${version} is running.`);
    printLine(io, `  OpenAI base URL: ${base}/v1`);
    printLine(io, `  Userscript:      ${base}/userscript.user.js${config.server.apiKey === undefined ? '' : '?key=<your api_key>'}`);
    printLine(io, `  Config file:     ${loaded.sources.configFile ?? 'none found, using defaults'}`);
    printLine(io, `  Data directory:  ${config.dataDir}`);
    printLine(io, 'Press Ctrl+C to stop.');
    return waitForShutdown(io, () => bridge.close());
  },
};

/** A listen address as a client should use it: a wildcard bind is reached through loopback. */
function clientUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0') parsed.hostname = '127.0.0.1';
  if (parsed.hostname === '[::]') parsed.hostname = '[::1]';
  return parsed.origin;
}
