import type { Page } from 'playwright-core';
import type { Logger } from '../../observability/logger.js';
import { launchChromium } from './launch-chromium.js';
import { LoginProgress, type LoginResult } from './login-progress.js';
import { readLoginView } from './read-login-view.js';

export type { LoginResult } from './login-progress.js';

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
  /**
   * Called once with the window's page: the sign-in page once it is open, or — for a profile that
   * is already signed in — the arena page, where the Security Verification check shows if any.
   */
  onPage?: (page: Page) => void | Promise<void>;
  /** @default 1000 */
  pollIntervalMs?: number;
  /** How long a signed-in page must show no Security Verification modal before the window closes. @default 3000 */
  settleMs?: number;
}

const BOOT_WAIT_MS = 15_000;

async function openSignIn(page: Page, origin: string): Promise<void> {
  const response = await page.goto(`${origin}/login`, { waitUntil: 'domcontentloaded' }).catch(() => null);
  if (response === null || response.status() === 404) await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
}

/**
 * `lmarena-bridge login`: opens Chromium (headful) with the bridge's profile on the arena. When the
 * profile is not signed in it opens the sign-in page — `/login`, or the home page with its sign-in
 * button when there is none — and waits for the person to sign in. While the site shows its
 * Security Verification modal for the signed-in account (arena-protocol.md §15.4) the window stays
 * open for the person to pass the check. Resolves once the account is signed in with no modal
 * showing, the window is closed, or the time runs out; the browser is closed before it resolves.
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
    let hooked = false;
    const hook = (): void => {
      if (hooked || options.onPage === undefined) return;
      hooked = true;
      Promise.resolve(options.onPage(page)).catch((error: unknown) => options.logger.warn('Login page hook failed', { error: String(error) }));
    };
    const startedAt = Date.now();
    const deadline = startedAt + (options.timeoutMs ?? 600_000);
    const progress = new LoginProgress({ startedAt, settleMs: options.settleMs ?? 3000, bootWaitMs: BOOT_WAIT_MS });
    await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
    for (;;) {
      if (closed || browser.context.pages().length === 0) return progress.ended('closed');
      const view = await readLoginView(browser.context.pages(), origin);
      const step = progress.observe(view, Date.now());
      if (step.kind === 'done') {
        options.logger.info('Signed in', { email: step.result.email, status: step.result.status });
        return step.result;
      }
      if (step.kind === 'sign-in') {
        // The person may close the window meanwhile; the next look reports that.
        await openSignIn(page, origin).catch((error: unknown) => {
          if (!page.isClosed()) throw error;
        });
        say(`Sign in to ${origin} in the browser window (profile ${options.profileDir}); it closes by itself once you are signed in.`);
      } else if (step.kind === 'verification') {
        say(`The site shows its "Security Verification" check for ${step.email}: pass it in the browser window ` +
          '(tick the box, and solve the pictures if asked); the window closes by itself once the check is gone.');
      }
      if (typeof view.email === 'string' || step.kind === 'sign-in') hook();
      if (Date.now() > deadline) return progress.ended('timeout');
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
    }
  } finally {
    await browser.close();
  }
}
