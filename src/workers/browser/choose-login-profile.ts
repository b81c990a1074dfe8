import type { BrowserProfileConfig } from '../../config/bridge-config.js';
import { profileDirFor } from './browser-profile.js';

/** Which profile `lmarena-bridge login` signs in, or why it cannot tell (bad usage). */
export type LoginProfileChoice =
  | { ok: true; profileDir: string; /** The `browser_profiles` entry; null for the single default profile. */ name: string | null }
  | { ok: false; message: string };

/** What {@link chooseLoginProfile} decides from. */
export interface LoginProfileInput {
  dataDir: string;
  /** `browser_profiles`. */
  profiles: readonly Pick<BrowserProfileConfig, 'name'>[];
  /** `--account NAME`, when given. */
  account: string | undefined;
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}

/**
 * Picks the profile directory to sign in: the named `browser_profiles` entry with `--account`, the
 * single default profile without profiles and without `--account`. An unknown name, `--account`
 * without profiles, and profiles without `--account` are refused with what to do.
 *
 * @example
 * chooseLoginProfile({ dataDir: '/data', profiles: [{ name: 'alice' }], account: 'alice' })
 * // { ok: true, profileDir: '/data/browser-profiles/alice', name: 'alice' }
 */
export function chooseLoginProfile(input: LoginProfileInput): LoginProfileChoice {
  const names = input.profiles.map((profile) => profile.name);
  if (input.account === undefined) {
    if (names.length === 0) return { ok: true, profileDir: profileDirFor(input.dataDir), name: null };
    return {
      ok: false,
      message: `browser_profiles is set (${quoteList(names)}): say which profile to sign in with --account NAME, ` +
        `e.g. \`lmarena-bridge login --account ${names[0]}\`.`,
    };
  }
  const account = input.account;
  if (names.length === 0) {
    return {
      ok: false,
      message: `--account ${JSON.stringify(account)} needs browser_profiles, and none are configured. Add ` +
        `"browser_profiles": [${JSON.stringify(account)}] to config.jsonc (one profile per arena account), or run ` +
        '`lmarena-bridge login` without --account to sign in the single default profile.',
    };
  }
  if (!names.includes(account)) {
    return {
      ok: false,
      message: `No browser profile named ${JSON.stringify(account)}; browser_profiles has ${quoteList(names)}. ` +
        `Use one of those, or add ${JSON.stringify(account)} to browser_profiles in config.jsonc.`,
    };
  }
  return { ok: true, profileDir: profileDirFor(input.dataDir, account), name: account };
}
