/**
 * The bridge's persistent Chromium profile: where it lives and whether another Chromium holds it.
 */
import { readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

/**
 * The profile directory inside the data dir; `serve` and `login` must agree on it. Without a name
 * it is the single default profile, `<dataDir>/browser-profile`; a `browser_profiles` entry lives
 * in `<dataDir>/browser-profiles/<name>`. A name that could leave that folder is refused.
 *
 * @example
 * profileDirFor('/data') // '/data/browser-profile'
 * profileDirFor('/data', 'alice') // '/data/browser-profiles/alice'
 */
export function profileDirFor(dataDir: string, name?: string): string {
  if (name === undefined) return join(dataDir, 'browser-profile');
  if (!PROFILE_NAME.test(name)) {
    throw new Error(`The browser profile name ${JSON.stringify(name)} is not valid: use letters, digits, "-" and "_" (at most 40) in browser_profiles.`);
  }
  return join(dataDir, 'browser-profiles', name);
}

/**
 * Throws a clear error when a live Chromium on this machine holds the profile (Chromium's
 * `SingletonLock` symlink reads `<hostname>-<pid>`). A stale lock is left for Chromium to clear.
 */
export async function assertProfileFree(profileDir: string, isAlive: (pid: number) => boolean = processExists): Promise<void> {
  let target: string;
  try {
    target = await readlink(join(profileDir, 'SingletonLock'));
  } catch {
    return;
  }
  const separator = target.lastIndexOf('-');
  const host = target.slice(0, separator);
  const pid = Number(target.slice(separator + 1));
  if (separator === -1 || host !== hostname() || !Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  throw new Error(
    `The browser profile ${profileDir} is in use by another Chromium (pid ${pid}), probably a running ` +
      '`lmarena-bridge serve` or `lmarena-bridge login`. Stop it first, or set browser_incognito to use a throw-away profile.',
  );
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
