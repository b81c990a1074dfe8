import { homedir } from 'node:os';
import { CONFIG_FLAG_OPTIONS, configFlagsHelp, findChromium, loadConfig } from '../../config/index.js';
import { createCliLogger, printError, printLine } from '../cli-io.js';
import { chooseLoginProfile } from '../../workers/browser/choose-login-profile.js';
import type { CliCommand } from '../command.js';
import type { LoginResult } from '../../workers/browser/index.js';
import { parseIntegerFlag } from './parse-integer-flag.js';

/** `lmarena-bridge login [--account NAME]`: signs the bridge's own Chromium profile (or one of `browser_profiles`) in to the arena, once. */
export const loginCommand: CliCommand = {
  name: 'login',
  summary: 'Sign the bridge\'s browser in to LMArena (needed for direct mode), or pass its Security Verification',
  options: { ...CONFIG_FLAG_OPTIONS, account: { type: 'string' }, 'timeout-seconds': { type: 'string' } },
  help: `Usage: lmarena-bridge login [--account NAME] [options]

Opens a browser window on the arena with the bridge's own profile (in the data directory).
Sign in there; the window closes by itself once you are signed in, and the automated
browser workers of \`lmarena-bridge serve\` run signed in from then on. Stop a running
serve first: the profile can only be used by one browser at a time.

It also lifts the site's "Security Verification" flag of an account that sent requests
too fast: when the page shows that check (already signed in, or right after signing in),
the window stays open until you pass it, and the bridge releases the account's hold
when its worker reports the check gone, or at its next probe.

With browser_profiles in config.jsonc (one profile per arena account), --account names
the profile to sign in (<data dir>/browser-profiles/NAME) and is required.

Options:
  --account <name>        the browser_profiles entry to sign in
  --timeout-seconds <s>   give up after this long (default 600)
${configFlagsHelp()}
  -h, --help              show this help`,

  async run({ argv, values, io }) {
    const timeoutSeconds = parseIntegerFlag(io, values, 'timeout-seconds', 600, 10, 24 * 3600);
    if (timeoutSeconds === undefined) return 2;
    const { config } = await loadConfig({ argv, env: io.env, cwd: io.cwd, homeDir: io.homeDir ?? homedir() });
    const account = values['account'];
    const profile = chooseLoginProfile({ dataDir: config.dataDir, profiles: config.browser.profiles, account: typeof account === 'string' ? account : undefined });
    if (!profile.ok) {
      printError(io, `Cannot sign in: ${profile.message}`);
      return 2;
    }
    const lookup = await findChromium(config);
    if (!lookup.found) {
      printError(io, `Cannot sign in: ${lookup.reason}. Install Chromium or set browser_executable_path ` +
        '(--browser-path, BRIDGE_BROWSER_PATH).');
      return 1;
    }
    const { runLogin } = await import('../../workers/browser/index.js');
    const logger = createCliLogger(io, { format: config.logging.format, level: config.logging.level === 'debug' ? 'debug' : 'warn' });
    let result;
    try {
      result = await runLogin({
        executablePath: lookup.path,
        profileDir: profile.profileDir,
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
      const which = profile.name === null ? '' : ` of profile ${profile.name}`;
      printLine(io, `Signed in as ${result.email}. Browser workers${which} of \`lmarena-bridge serve\` will use this account.`);
      return 0;
    }
    if (result.status === 'verification-passed') {
      printLine(io, `Security Verification passed for ${result.email}; the bridge releases the account's hold when its worker reports it, or at its next probe.`);
      return 0;
    }
    printError(io, describeFailure(result, timeoutSeconds, profile.name === null ? 'lmarena-bridge login' : `lmarena-bridge login --account ${profile.name}`));
    return 1;
  },
};

/** The line for a login that did not end signed in; `again` is the command to run again. */
function describeFailure(result: Exclude<LoginResult, { status: 'signed-in' | 'verification-passed' }>, timeoutSeconds: number, again: string): string {
  switch (result.status) {
    case 'closed':
      return `The browser window was closed before signing in; nothing changed. Run \`${again}\` again to retry.`;
    case 'timeout':
      return `Not signed in after ${timeoutSeconds} s; run \`${again}\` again (or pass --timeout-seconds).`;
    case 'verification-closed':
      return `The browser window was closed while the site still showed its Security Verification check for ${result.email}; ` +
        `the account stays flagged. Run \`${again}\` again and pass the check in the window.`;
    case 'verification-timeout':
      return `The Security Verification check for ${result.email} was not passed within ${timeoutSeconds} s; the account stays ` +
        `flagged. Run \`${again}\` again (or pass --timeout-seconds).`;
  }
}
