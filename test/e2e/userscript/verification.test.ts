/*
 * The agent in real Chromium reports the site's Security Verification modal (protocol §15.4) in
 * its page state: the bridge-side WorkerConnection.page of the real worker endpoint says
 * `verification: true` while the modal shows and `false` once it is gone, each within a second.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena, type FakeArena } from '../../../src/fake-arena/index.js';
import type { WorkerConnection } from '../../../src/workers/types.js';
import { renderInitScript } from '../../../src/workers/userscript/render-userscript.js';
import { HAS_CHROMIUM, NO_CHROMIUM_REASON, launchChromium } from '../../support/chromium.js';
import { agentBundle, RecordingRegistry, SECRET, startWorkerEndpoint, waitFor } from '../browser/support.js';

/** The markup the site's modal has (as the fake renders it). */
const MODAL = '<div id="security-verification" role="dialog" aria-modal="true" aria-labelledby="security-verification-title">'
  + '<h2 id="security-verification-title">Security Verification</h2><p>Please confirm you are human.</p>'
  + '<div id="security-verification-widget"></div></div>';
const CHECKBOX = '#security-verification-widget .fake-recaptcha-checkbox';
// Well under the agent's 1.5 s page-state poll: a change must travel on the DOM watcher, not the poll.
const PROMPTLY_MS = 900;

let browser: Browser;
let fake: FakeArena;
let registry: RecordingRegistry;
let endpoint: { wsUrl: string; close(): Promise<void> };
let context: BrowserContext;

async function openAgentPage(path = '/text/direct'): Promise<{ page: Page; worker: WorkerConnection }> {
  const before = registry.connected.length;
  const page = await context.newPage();
  await page.goto(`${fake.url}${path}`);
  await waitFor(() => registry.connected.length > before, 15_000, 'the agent to join');
  return { page, worker: registry.connected.at(-1)! };
}

/** Resolves with how long `worker.page.verification` took to become `expected`. */
async function timeUntilVerification(worker: WorkerConnection, expected: boolean, since: number): Promise<number> {
  await waitFor(() => (worker.page.verification ?? false) === expected, 5000, `verification: ${expected}`);
  return Date.now() - since;
}

describe.skipIf(!HAS_CHROMIUM)(`Security Verification in the page state${HAS_CHROMIUM ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  beforeAll(async () => {
    [browser, fake] = await Promise.all([launchChromium(), startFakeArena()]);
    registry = new RecordingRegistry();
    endpoint = await startWorkerEndpoint(registry, fake.url);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), endpoint?.close(), fake?.close()]);
  });
  beforeEach(async () => {
    context = await browser.newContext();
    const bundle = await agentBundle();
    await context.addInitScript({ content: renderInitScript({ bundle, bridgeWsUrl: endpoint.wsUrl, secret: SECRET, pageToken: 'e2e-page', agentVersion: 'e2e', arenaOrigins: [fake.url] }) });
  });
  afterEach(async () => {
    await context.close();
  });

  it('reports the modal promptly each time it appears and goes, ignores a hidden one, and shows ⚠️ in the title', async () => {
    const { page, worker } = await openAgentPage();
    expect(worker.page).toMatchObject({ verification: false, challenge: false });

    await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', `<div id="hidden-copy" style="display:none">${html.replace('id="security-verification"', '')}</div>`), MODAL);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(worker.page.verification).toBe(false);

    for (let round = 0; round < 3; round += 1) {
      let since = Date.now();
      await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), MODAL);
      expect(await timeUntilVerification(worker, true, since)).toBeLessThan(PROMPTLY_MS);
      expect(await page.title()).toMatch(/^⚠️ /);
      since = Date.now();
      await page.evaluate(() => document.getElementById('security-verification')?.remove());
      expect(await timeUntilVerification(worker, false, since)).toBeLessThan(PROMPTLY_MS);
    }
    await expect.poll(() => page.title()).toMatch(/^✅ /);
  });

  it('a flagged account\'s page on the fake: true from the hello, false once a person passes the checkbox', async () => {
    const user = fake.createIdentity({ email: 'flagged@example.com' });
    await context.addCookies([{ name: 'arena-auth-prod-v1', value: user.cookieValue, url: fake.url }]);
    fake.flagAccount(user.userId, 600);
    const { page, worker } = await openAgentPage();
    expect(worker.page).toMatchObject({ verification: true, email: 'flagged@example.com' });

    await page.locator(CHECKBOX).click();
    await page.waitForSelector('#security-verification', { state: 'detached', timeout: 5000 });
    expect(await timeUntilVerification(worker, false, Date.now())).toBeLessThan(PROMPTLY_MS);
    expect(fake.accountFlags()).toEqual([]);
  });
});
