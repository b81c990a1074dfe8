/**
 * The bridge's persistent Chromium profile: where it lives and whether another Chromium holds it.
 */
import { readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The profile directory inside the data dir; `serve` and `login` must agree on it. */
export function profileDirFor(dataDir: string): string {
  return join(dataDir, 'browser-profile');
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
