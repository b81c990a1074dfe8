import { homedir } from 'node:os';
import { CONFIG_FLAG_OPTIONS, configFlagsHelp, findChromium, loadConfig } from '../../config/index.js';
import { createCliLogger, printError, printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { parseIntegerFlag } from './parse-integer-flag.js';

/** `lmarena-bridge login`: signs the bridge's own Chromium profile in to the arena, once. */
export const loginCommand: CliCommand = {
  name: 'login',
  summary: 'Sign the bridge\'s browser in to LMArena (needed for direct mode)',
  options: { ...CONFIG_FLAG_OPTIONS, 'timeout-seconds': { type: 'string' } },
  help: `Usage: lmarena-bridge login [options]

Opens a browser window on the arena with the bridge's own profile (in the data directory).
Sign in there; the window closes by itself once you are signed in, and the automated
browser workers of \`lmarena-bridge serve\` run signed in from then on. Stop a running
serve first: the profile can only be used by one browser at a time.

Options:
  --timeout-seconds <s>   give up after this long (default 600)
${configFlagsHelp()}
  -h, --help              show this help`,

  async run({ argv, values, io }) {
    const timeoutSeconds = parseIntegerFlag(io, values, 'timeout-seconds', 600, 10, 24 * 3600);
    if (timeoutSeconds === undefined) return 2;
    const { config } = await loadConfig({ argv, env: io.env, cwd: io.cwd, homeDir: io.homeDir ?? homedir() });
    const lookup = await findChromium(config);
    if (!lookup.found) {
      printError(io, `Cannot sign in: ${lookup.reason}. Install Chromium or set browser_executable_path ` +
        '(--browser-path, BRIDGE_BROWSER_PATH).');
      return 1;
    }
    const { profileDirFor, runLogin } = await import('../../workers/browser/index.js');
    const logger = createCliLogger(io, { format: config.logging.format, level: config.logging.level === 'debug' ? 'debug' : 'warn' });
    let result;
    try {
      result = await runLogin({
        executablePath: lookup.path,
        profileDir: profileDirFor(config.dataDir),
        arenaUrl: config.arena.url,
        logger,
        timeoutMs: timeoutSeconds * 1000,
        ...(config.browser.proxy === undefined ? {} : { proxy: config.browser.proxy }),
        onProgress: (line) => printLine(io, line),
      });
    } catch (error) {
      printError(io, `Cannot sign in: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    if (result.status === 'signed-in') {
      printLine(io, `Signed in as ${result.email}. Browser workers of \`lmarena-bridge serve\` will use this account.`);
      return 0;
    }
    printError(io, result.status === 'closed'
      ? 'The browser window was closed before signing in; nothing changed. Run `lmarena-bridge login` again to retry.'
      : `Not signed in after ${timeoutSeconds} s; run \`lmarena-bridge login\` again (or pass --timeout-seconds).`);
    return 1;
  },
};
