import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, BrowserType } from 'playwright-core';
import { z } from 'zod';
import { assertProfileFree } from './browser-profile.js';
import { isProcessGroupAlive, killProcessGroupAndWait } from './kill-process-group.js';
import { buildLaunchOptions } from './launch-options.js';

/** What {@link launchChromium} needs. */
export interface LaunchChromiumOptions {
  executablePath: string;
  headless: boolean;
  /** Persistent profile; omitted (or `incognito`) means a throw-away one. */
  profileDir?: string;
  incognito?: boolean;
  proxy?: string;
}

/** A running Chromium with the one context the bridge uses. */
export interface LaunchedChromium {
  readonly context: BrowserContext;
  /** The browser process (leader of its process group), when Chromium reported it. */
  readonly pid: number | null;
  /** Calls `listener` once when the browser goes away for any reason (closed, killed, crashed). */
  onDisconnected(listener: () => void): void;
  /** Closes the browser; kills its process group if it does not exit within `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * playwright-core is loaded only when a browser is launched: it costs about 80 MB of memory, which
 * a bridge serving userscript workers alone (`--browser off`, or no Chromium) should not pay.
 */
async function loadChromium(): Promise<BrowserType> {
  return (await import('playwright-core')).chromium;
}

const processInfoSchema = z.object({
  processInfo: z.array(z.object({ type: z.string(), id: z.number().int() })),
});

async function readBrowserPid(browser: Browser): Promise<number | null> {
  try {
    const session = await browser.newBrowserCDPSession();
    const info = processInfoSchema.parse(await session.send('SystemInfo.getProcessInfo'));
    await session.detach().catch(() => undefined);
    return info.processInfo.find((entry) => entry.type === 'browser')?.id ?? null;
  } catch {
    return null;
  }
}

function describeLaunchFailure(executablePath: string, error: unknown): Error {
  const detail = error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error);
  return new Error(
    `Could not start Chromium at ${executablePath}: ${detail}. Check browser_executable_path ` +
      '(--browser-path, BRIDGE_BROWSER_PATH), or set browser to "off" to use the userscript only.',
    { cause: error },
  );
}

/**
 * Launches Chromium with playwright-core and the given executable (never a downloaded browser):
 * `launchPersistentContext` for a profile that keeps the sign-in, `launch` + `newContext` for incognito.
 */
export async function launchChromium(options: LaunchChromiumOptions): Promise<LaunchedChromium> {
  const launchOptions = buildLaunchOptions(options);
  const persistent = options.incognito !== true && options.profileDir !== undefined;
  let context: BrowserContext;
  let browser: Browser | null;
  try {
    if (!persistent || options.profileDir === undefined) {
      browser = await (await loadChromium()).launch(launchOptions);
      context = await browser.newContext({ viewport: null });
    } else {
      await mkdir(options.profileDir, { recursive: true });
      await assertProfileFree(options.profileDir);
      context = await (await loadChromium()).launchPersistentContext(options.profileDir, { ...launchOptions, viewport: null });
      browser = context.browser();
    }
  } catch (error) {
    if (error instanceof Error && error.message.includes('is in use by another Chromium')) throw error;
    throw describeLaunchFailure(options.executablePath, error);
  }
  const pid = browser === null ? null : await readBrowserPid(browser);
  const listeners: (() => void)[] = [];
  let disconnected = false;
  const fire = (): void => {
    if (disconnected) return;
    disconnected = true;
    for (const listener of listeners.splice(0)) listener();
  };
  if (browser !== null) browser.on('disconnected', fire);
  context.on('close', fire);

  return {
    context,
    pid,
    onDisconnected(listener) {
      if (disconnected) listener();
      else listeners.push(listener);
    },
    async close(timeoutMs = 10_000) {
      const closing = persistent || browser === null ? context.close() : browser.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closing.catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      if (pid !== null && isProcessGroupAlive(pid)) await killProcessGroupAndWait(pid);
    },
  };
}
