/**
 * `capture-ids` end to end in real Chromium: the userscript the bridge serves runs on the fake
 * LMArena's conversation page, the bridge arms it (🎯 in the title), a click on the page's own
 * Retry button is captured, and retry-replay chats then use the captured ids.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_COOKIE } from '../../../src/arena/constants.js';
import { HAS_CHROMIUM, NO_CHROMIUM_REASON, installUserscript, launchChromium, openArenaTab } from '../../support/chromium.js';
import { echoReply } from '../../support/echo-reply.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';
import { waitFor } from '../../support/wait-for.js';

let browser: Browser;
let harness: TestBridge;
let context: BrowserContext;

describe.skipIf(!HAS_CHROMIUM)(`capture-ids in Chromium${HAS_CHROMIUM ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  beforeAll(async () => {
    [browser, harness] = await Promise.all([launchChromium(), startTestBridge({ bridge: { arena: { protocol: 'retry-replay' } } })]);
  });
  afterAll(async () => {
    await context?.close();
    await Promise.all([browser?.close(), harness?.close()]);
  });

  it('captures the ids of a Retry click and replays chats on them', async () => {
    const session = harness.fake.createSession({ turns: [{ user: 'Hello', assistant: 'Hi there' }] });
    context = await browser.newContext();
    // The page must be the session owner's (the fake answers 404 to anyone else), so the browser
    // carries the owner's auth cookie, as a signed-in user's browser would.
    const cookieValue = session.cookie.slice(`${AUTH_COOKIE}=`.length);
    await context.addCookies([{ name: AUTH_COOKIE, value: cookieValue, url: harness.fake.url }]);
    await installUserscript(context, harness);
    const page = await openArenaTab(context, harness, 1, `/c/${session.sessionId}`);
    await waitFor(async () => (await page.title()).startsWith('✅'), 'the ✅ title prefix');
    await page.locator('#retry-button').waitFor();

    const capture = fetch(`${harness.url}/internal/capture-ids`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'direct_chat', timeout_seconds: 30 }),
    });
    await waitFor(async () => (await page.title()).startsWith('🎯'), 'the 🎯 title prefix');
    await page.click('#retry-button');
    const response = await capture;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      session_id: session.sessionId,
      message_id: session.assistantMessageId,
      mode: 'direct_chat',
      model: null,
      stored: 'global',
    });
    await waitFor(async () => (await page.title()).startsWith('✅'), 'the 🎯 prefix to go away');
    // The site's own retry went through and was answered (the capture only watches).
    await waitFor(async () => (await page.locator('#retry-status').getAttribute('data-state')) === 'done', 'the page\'s own retry to finish');

    const completion = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Replay me' }] });
    expect(completion.choices[0]?.message.content).toBe(echoReply('Replay me').replace('Echo #1:', 'Echo #1 (regenerated):'));
    const replay = harness.fake.requests.at(-1);
    expect(replay?.method).toBe('PUT');
    expect(replay?.path).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.assistantMessageId}`);
    expect(replay?.identity).toBe(session.ownerId);
    expect((replay?.body as { messages?: { content: string }[] }).messages?.map((message) => message.content)).toEqual(['Replay me']);
  });
});
