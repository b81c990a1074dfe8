/**
 * The human in the loop of protocol §15.4, end to end: the served userscript in real Chromium is
 * signed in as an account the fake has flagged. The bridge holds the account (503
 * `account_verification_required` for the openai client, the hold in /health and on the events
 * feed); a person reloads the tab, sees the "Security Verification" modal and clicks its checkbox;
 * the page reports it, the hold lifts at once and the next request is answered.
 */
import OpenAI from 'openai';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, NO_CHROMIUM_REASON, ensureAgentBundle, installUserscript, launchChromium, openArenaTab } from '../../support/chromium.js';
import { echoReply } from '../../support/echo-reply.js';
import { openEventsFeed } from '../../support/events-feed.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';

let browser: Browser;
let harness: TestBridge;
let context: BrowserContext;

describe.skipIf(!HAS_CHROMIUM)(`account hold lifted in the page${HAS_CHROMIUM ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  beforeAll(async () => {
    await ensureAgentBundle();
    [browser, harness] = await Promise.all([launchChromium(), startTestBridge()]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), harness?.close()]);
  });
  afterEach(async () => {
    await context.close();
  });

  it('holds the flagged account, then lifts the hold when a person passes the modal in the tab', async () => {
    context = await browser.newContext();
    const user = harness.fake.createIdentity({ email: 'flagged@example.com' });
    await context.addCookies([{ name: 'arena-auth-prod-v1', value: user.cookieValue, url: harness.fake.url }]);
    await installUserscript(context, harness);
    const page = await openArenaTab(context, harness, 1);
    const feed = await openEventsFeed(harness.url);
    harness.fake.flagAccount(user.userId, 1200);

    const refused = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Blocked?' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('account_verification_required');
    expect((await feed.next('account.held')).data).toMatchObject({ account: 'flagged@example.com' });

    // The person opens the tab: the site shows its modal, which the bridge announces.
    await page.reload();
    await feed.next('challenge.shown', (data) => data.kind === 'verification');
    const health = (await (await fetch(`${harness.url}/health`)).json()) as { workers: { items: Array<{ verification: boolean }> }; accounts: Array<{ state: string }> };
    expect(health.accounts[0]?.state).toBe('held');

    await page.locator('#security-verification-widget .fake-recaptcha-checkbox').click();
    await page.waitForSelector('#security-verification', { state: 'detached' });
    expect((await feed.next('account.released')).data).toMatchObject({ account: 'flagged@example.com', reason: 'verification-passed' });
    expect(harness.fake.accountFlags()).toEqual([]);

    const answer = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Free again' }] });
    expect(answer.choices[0]?.message.content).toBe(echoReply('Free again'));
    feed.close();
  });
});
