import type { Page } from 'playwright-core';
import type { Logger } from '../../observability/logger.js';
import { launchChromium } from './launch-chromium.js';
import { emailOf, probePage } from './page-probe.js';

/** Options of {@link runLogin}. */
export interface RunLoginOptions {
  executablePath: string;
  /** The bridge's persistent profile (`profileDirFor(config.dataDir)`), so `serve` runs signed in. */
  profileDir: string;
  /** Arena origin, e.g. `https://arena.ai`. */
  arenaUrl: string;
  logger: Logger;
  /** Tests sign in headless by driving the form through {@link RunLoginOptions.onPage}. @default false */
  headless?: boolean;
  /** Give up after this long. @default 600000 (10 min) */
  timeoutMs?: number;
  proxy?: string;
  /** Lines for the terminal. */
  onProgress?: (line: string) => void;
  /** Called with the sign-in page once it is open. */
  onPage?: (page: Page) => void | Promise<void>;
  /** @default 1000 */
  pollIntervalMs?: number;
}

/** How the sign-in ended. */
export type LoginResult = { status: 'signed-in'; email: string } | { status: 'closed' } | { status: 'timeout' };

async function signedInEmail(pages: readonly Page[], origin: string): Promise<string | null> {
  for (const page of pages) {
    if (page.isClosed() || !page.url().startsWith(origin)) continue;
    const email = await probePage(page).then(emailOf, () => undefined);
    if (typeof email === 'string') return email;
  }
  return null;
}

/**
 * `lmarena-bridge login`: opens Chromium (headful) with the bridge's profile on the arena's sign-in
 * page — `/login`, or the home page with its sign-in button when there is none — and waits until
 * some page of the arena shows a signed-in user, the user closes the window, or the time runs out.
 * The browser is closed before it resolves.
 */
export async function runLogin(options: RunLoginOptions): Promise<LoginResult> {
  const origin = new URL(options.arenaUrl).origin;
  const say = (line: string): void => options.onProgress?.(line);
  const browser = await launchChromium({
    executablePath: options.executablePath,
    headless: options.headless ?? false,
    profileDir: options.profileDir,
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
  });
  let closed = false;
  browser.onDisconnected(() => (closed = true));
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const response = await page.goto(`${origin}/login`, { waitUntil: 'domcontentloaded' }).catch(() => null);
    if (response === null || response.status() === 404) await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
    say(`Sign in to ${origin} in the browser window (profile ${options.profileDir}); it closes by itself once you are signed in.`);
    if (options.onPage !== undefined) {
      Promise.resolve(options.onPage(page)).catch((error: unknown) => options.logger.warn('Login page hook failed', { error: String(error) }));
    }
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    for (;;) {
      if (closed || browser.context.pages().length === 0) return { status: 'closed' };
      const email = await signedInEmail(browser.context.pages(), origin);
      if (email !== null) {
        options.logger.info('Signed in', { email });
        return { status: 'signed-in', email };
      }
      if (Date.now() > deadline) return { status: 'timeout' };
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
    }
  } finally {
    await browser.close();
  }
}
