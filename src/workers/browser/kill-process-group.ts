/**
 * Last-resort cleanup of a Chromium process tree. Playwright starts the browser as the leader of its
 * own process group (POSIX), and every helper (zygote, renderers, GPU, network) stays in it, so one
 * group signal reaches them all.
 */

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ESRCH';
}

/** Whether any process of the group led by `pid` still exists (POSIX); on Windows, the process itself. */
export function isProcessGroupAlive(pid: number, platform: NodeJS.Platform = process.platform): boolean {
  try {
    process.kill(platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else (a recycled pid); it is not ours to wait for.
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  }
}

/** Sends SIGKILL to the group led by `pid` (and to `pid` itself); a group already gone is fine. */
export function killProcessGroup(pid: number, platform: NodeJS.Platform = process.platform): void {
  const targets = platform === 'win32' ? [pid] : [-pid, pid];
  for (const target of targets) {
    try {
      process.kill(target, 'SIGKILL');
    } catch (error) {
      if (!isMissing(error) && (error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
  }
}

/** Kills the group and waits (polling) until none of it is left, or `timeoutMs` passes. */
export async function killProcessGroupAndWait(pid: number, timeoutMs = 5000): Promise<boolean> {
  killProcessGroup(pid);
  const deadline = Date.now() + timeoutMs;
  while (isProcessGroupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
