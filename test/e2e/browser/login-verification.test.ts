/*
 * `lmarena-bridge login` on a flagged account (arena-protocol.md §15.4): the window stays open
 * while the fake shows its Security Verification modal, and the test plays the person who ticks
 * the v2 checkbox (a real, trusted click through Playwright's mouse) or closes the window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeArena, type FakeArena } from '../../../src/fake-arena/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { runLogin, type LoginResult, type RunLoginOptions } from '../../../src/workers/browser/index.js';
import { launchChromium } from '../../../src/workers/browser/launch-chromium.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { CHROMIUM, chromiumProcesses, chromiumSuite } from './support.js';

const CHECKBOX = '#security-verification-widget .fake-recaptcha-checkbox';
const SETTLE_MS = 500;
const VERIFICATION_LINE = /^The site shows its "Security Verification" check for flagged@example\.com: pass it in the browser window/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(): Promise<FakeArena> {
  const fake = await startFakeArena();
  cleanups.push(() => fake.close());
  return fake;
}

/** A profile directory whose browser is already signed in to the fake with `cookieValue`. */
async function signedInProfile(fake: FakeArena, cookieValue: string): Promise<string> {
  const profileDir = await tempDirForTest('lmarena-bridge-e2e-');
  const browser = await launchChromium({ executablePath: CHROMIUM!, headless: true, profileDir });
  try {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    await browser.context.addCookies([{ name: 'arena-auth-prod-v1', value: cookieValue, url: fake.url, expires }]);
  } finally {
    await browser.close();
  }
  return profileDir;
}

/** Runs `runLogin` headless against the fake; `settled()` says whether it has resolved yet. */
function login(fake: FakeArena, profileDir: string, options: Pick<RunLoginOptions, 'onPage' | 'onProgress'>): { result: Promise<LoginResult>; settled(): boolean } {
  let done = false;
  const result = runLogin({
    executablePath: CHROMIUM!, profileDir, arenaUrl: fake.url, logger: createSilentLogger(), headless: true,
    timeoutMs: 30_000, pollIntervalMs: 100, settleMs: SETTLE_MS, ...options,
  }).finally(() => (done = true));
  return { result, settled: () => done };
}

describe.skipIf(CHROMIUM === undefined)(chromiumSuite('runLogin and the Security Verification check'), () => {
  it('keeps a flagged, signed-in profile\'s window open until a real click passes the check, which clears the flag', async () => {
    const fake = await startFake();
    const user = fake.createIdentity({ email: 'flagged@example.com' });
    const profileDir = await signedInProfile(fake, user.cookieValue);
    fake.flagAccount(user.userId, 600);
    const lines: string[] = [];
    const seenBeforeClick: { settled?: boolean; lines?: string[]; flags?: number } = {};
    const run = login(fake, profileDir, {
      onProgress: (line) => lines.push(line),
      onPage: async (page) => {
        await page.locator(CHECKBOX).waitFor({ timeout: 10_000 });
        // Several times the settle time and the poll interval: a login that ignored the modal would have ended.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS * 4));
        Object.assign(seenBeforeClick, { settled: run.settled(), lines: [...lines], flags: fake.accountFlags().length });
        await page.locator(CHECKBOX).click();
      },
    });
    expect(await run.result).toEqual({ status: 'verification-passed', email: 'flagged@example.com' });
    expect(seenBeforeClick).toEqual({ settled: false, lines: [expect.stringMatching(VERIFICATION_LINE)], flags: 1 });
    expect(lines).toHaveLength(1);
    expect(fake.accountFlags()).toEqual([]);
    expect(chromiumProcesses(null, profileDir)).toEqual([]);
  });

  it('reports the window closed while the check showed, naming the account, and leaves the flag', async () => {
    const fake = await startFake();
    const user = fake.createIdentity({ email: 'flagged@example.com' });
    const profileDir = await signedInProfile(fake, user.cookieValue);
    fake.flagAccount(user.userId, 600);
    const lines: string[] = [];
    const run = login(fake, profileDir, {
      onProgress: (line) => lines.push(line),
      onPage: async (page) => {
        await page.locator(CHECKBOX).waitFor({ timeout: 10_000 });
        await page.close();
      },
    });
    expect(await run.result).toEqual({ status: 'verification-closed', email: 'flagged@example.com' });
    expect(lines).toEqual([expect.stringMatching(VERIFICATION_LINE)]);
    expect(fake.accountFlags().map((flag) => flag.userId)).toEqual([user.userId]);
  });

  it('signs a fresh profile in, then holds the window for the check of the flagged account it signed in to', async () => {
    const fake = await startFake();
    const user = fake.createIdentity({ email: 'flagged@example.com' });
    fake.flagAccount(user.userId, 600);
    const profileDir = await tempDirForTest('lmarena-bridge-e2e-');
    const lines: string[] = [];
    const run = login(fake, profileDir, {
      onProgress: (line) => lines.push(line),
      onPage: async (page) => {
        await page.fill('#email', 'flagged@example.com');
        await page.fill('#password', 'secret');
        await page.click('#sign-in');
        await page.locator(CHECKBOX).click({ timeout: 10_000 });
      },
    });
    expect(await run.result).toEqual({ status: 'verification-passed', email: 'flagged@example.com' });
    expect(lines).toEqual([expect.stringMatching(/^Sign in to http:\/\/127\.0\.0\.1:\d+ in the browser window/), expect.stringMatching(VERIFICATION_LINE)]);
    expect(fake.accountFlags()).toEqual([]);
  });

  it('ends at once for a signed-in profile that is not flagged, without opening the sign-in page', async () => {
    const fake = await startFake();
    const user = fake.createIdentity({ email: 'calm@example.com' });
    const profileDir = await signedInProfile(fake, user.cookieValue);
    const lines: string[] = [];
    const pages: string[] = [];
    const run = login(fake, profileDir, { onProgress: (line) => lines.push(line), onPage: (page) => void pages.push(new URL(page.url()).pathname) });
    expect(await run.result).toEqual({ status: 'signed-in', email: 'calm@example.com' });
    expect(lines).toEqual([]);
    expect(pages).toEqual(['/']);
  });
});
