/**
 * The userscript the bridge serves, running in real Chromium on the fake LMArena's pages, driven
 * through the bridge with the official openai client.
 */
import OpenAI from 'openai';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, NO_CHROMIUM_REASON, ensureAgentBundle, installUserscript, launchChromium, openArenaTab, waitForNoWorkers } from '../../support/chromium.js';
import { echoReply } from '../../support/echo-reply.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';
import { waitFor } from '../../support/wait-for.js';

let browser: Browser;
let harness: TestBridge;
let context: BrowserContext;

async function drain(stream: AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>): Promise<string> {
  let content = '';
  for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
  return content;
}

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(error)}`);
  return error;
}

describe.skipIf(!HAS_CHROMIUM)(`userscript in Chromium${HAS_CHROMIUM ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  beforeAll(async () => {
    await ensureAgentBundle();
    [browser, harness] = await Promise.all([launchChromium(), startTestBridge({ fake: { challengeClearDelayMs: 300 } })]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), harness?.close()]);
  });
  beforeEach(async () => {
    harness.fake.reset();
    context = await browser.newContext();
    await installUserscript(context, harness);
  });
  afterEach(async () => {
    await context.close();
    await waitForNoWorkers(harness);
  });

  it('sends each request with a reCAPTCHA token minted ahead, and mints the next one after the request', async () => {
    const seen: string[] = [];
    context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === '/recaptcha/mint' || path.startsWith('/nextjs-api/stream/')) seen.push(path);
    });
    const page = await openArenaTab(context, harness, 1);
    await waitFor(async () => (await page.title()).startsWith('✅'), 'the ✅ title prefix');
    // The bridge's hello-ack asks for two tokens for the submit action as soon as the page is ready.
    await waitFor(() => seen.filter((path) => path === '/recaptcha/mint').length >= 2, 'two tokens minted ahead');
    const client = harness.client();
    for (const prompt of ['first', 'second', 'third']) {
      const completion = await client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: prompt }] });
      expect(completion.choices[0]?.message.content).toBe(echoReply(prompt));
    }
    await waitFor(() => seen.filter((path) => path === '/recaptcha/mint').length >= 5, 'a token minted after each request');
    // No request waited for a mint: each stream request went out with a token already in hand, and
    // every token was used once (the fake refuses a reused one).
    const streams = seen.flatMap((path, index) => (path.startsWith('/nextjs-api/stream/') ? [index] : []));
    expect(streams).toHaveLength(3);
    expect(seen.slice(0, 2)).toEqual(['/recaptcha/mint', '/recaptcha/mint']);
    expect(harness.fake.requests.map((request) => request.status)).toEqual([200, 200, 200]);
  });

  it('serves chat through the page: streaming, non-streaming, reasoning and images, with the ✅ title', async () => {
    const page = await openArenaTab(context, harness, 1);
    await waitFor(async () => (await page.title()).startsWith('✅'), 'the ✅ title prefix');
    const client = harness.client();

    const completion = await client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'From the browser' }] });
    expect(completion.choices[0]?.message.content).toBe(echoReply('From the browser'));
    const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Streamed' }] });
    expect(await drain(stream)).toBe(echoReply('Streamed'));

    const reasoned = await client.chat.completions.create({ model: 'fake-reasoner', messages: [{ role: 'user', content: 'Think hard' }] });
    const message = reasoned.choices[0]?.message as { content: string | null; reasoning_content?: string } | undefined;
    expect(message?.content).toBe(echoReply('Think hard'));
    expect(message?.reasoning_content).toBe('Thinking about turn 1. The prompt has 2 words; answer by echoing it.');

    const image = await client.chat.completions.create({ model: 'fake-image', messages: [{ role: 'user', content: 'A red square' }] });
    expect(image.choices[0]?.message.content).toMatch(new RegExp(`^!\\[image\\]\\(${harness.fake.url}/images/[\\w-]+\\.png\\)$`));

    // Every stream request carried the page's own cookie identity and a fresh reCAPTCHA token.
    const requests = harness.fake.requests;
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((request) => request.identity)).size).toBe(1);
    expect(requests[0]?.identity).toEqual(expect.any(String));
  });

  it('shares load between two tabs and fails only the stream of a tab closed mid-answer', async () => {
    harness.fake.setOptions({ pacing: { chunkDelayMs: 25 } });
    // Different pages, so /health tells which tab a worker is; each tab's stream fetches are counted.
    const tabs = [await openArenaTab(context, harness, 1, '/text/direct'), await openArenaTab(context, harness, 2, '/')];
    const streamFetches = tabs.map((tab) => {
      const seen: string[] = [];
      tab.on('request', (request) => {
        if (request.url().includes('/nextjs-api/stream/')) seen.push(request.url());
      });
      return seen;
    });
    const client = harness.client();
    const prompts = ['One', 'Two', 'Three', 'Four'];
    const answers = await Promise.all(
      prompts.map(async (content) => drain(await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content }] }))),
    );
    expect(answers).toEqual(prompts.map((prompt) => echoReply(prompt)));
    expect(streamFetches.map((seen) => seen.length)).toEqual([2, 2]);

    const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Keep talking' }] });
    const iterator = stream[Symbol.asyncIterator]();
    const head = await iterator.next();
    let content = head.done === true ? '' : (head.value.choices[0]?.delta.content ?? '');
    const busy = (await harness.health()).workers.items.find((worker) => worker.activeJobs > 0);
    const busyIndex = busy?.url.endsWith('/text/direct') === true ? 0 : 1;
    const otherIndex = 1 - busyIndex;
    await tabs[busyIndex]?.close();
    const error = await (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return undefined;
        content += next.value.choices[0]?.delta.content ?? '';
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('disconnected');
    expect(content).not.toBe(echoReply('Keep talking'));
    expect(echoReply('Keep talking').startsWith(content)).toBe(true);
    await harness.waitForWorkers(1);

    const servedBefore = streamFetches[otherIndex]?.length ?? 0;
    const next = await client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Still there?' }] });
    expect(next.choices[0]?.message.content).toBe(echoReply('Still there?'));
    expect(streamFetches[otherIndex]).toHaveLength(servedBefore + 1);
  });

  it('aborts the page\'s fetch when the client aborts', async () => {
    harness.fake.setOptions({ pacing: { chunkDelayMs: 25 } });
    await openArenaTab(context, harness, 1);
    const controller = new AbortController();
    const stream = await harness.client().chat.completions.create(
      { model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Long answer please' }] },
      { signal: controller.signal },
    );
    await stream[Symbol.asyncIterator]().next();
    const abortedAt = Date.now();
    controller.abort();
    await waitFor(() => harness.fake.requests.find((request) => request.aborted), 'the fake to record the page fetch as aborted', 2_000);
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    await waitFor(async () => (await harness.health()).workers.items[0]?.activeJobs === 0, 'the worker to be idle again', 2_000);
  });

  it('re-mints a rejected reCAPTCHA token in the page and answers', async () => {
    await openArenaTab(context, harness, 1);
    const prompt = '[[fake:recaptcha-reject-once]] Verify me';
    const completion = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: prompt }] });
    expect(completion.choices[0]?.message.content).toBe(echoReply(prompt));
    expect(harness.fake.requests.map((request) => request.status)).toEqual([403, 200]);
  });

  it('holds the worker through a Cloudflare challenge, reloads the page, and answers once it clears', async () => {
    const page = await openArenaTab(context, harness, 1);
    // The stream meets the challenge page; the reload the pool asks for meets it too, and the
    // challenge page clears itself (sets cf_clearance and reloads) after challengeClearDelayMs.
    harness.fake.inject({ name: 'challenge', count: 1, path: '/text/direct' });
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    const prompt = '[[fake:challenge-once]] Behind the wall';
    const completion = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: prompt }] });
    expect(completion.choices[0]?.message.content).toBe(echoReply(prompt));
    expect(harness.fake.requests.map((request) => request.status)).toEqual([403, 200]);
    // The reload into the challenge and the challenge page's own reload.
    expect(navigations.length).toBeGreaterThanOrEqual(2);
    // The challenge is still on: the second stream passed only with the cf_clearance the page set.
    expect(harness.fake.state().challengeActive).toBe(true);
    expect((await context.cookies(harness.fake.url)).map((cookie) => cookie.name)).toContain('cf_clearance');
    expect(await page.title()).toMatch(/^✅/);
  });

  it('passes 429 with Retry-After and moderation 422 through', async () => {
    await openArenaTab(context, harness, 1);
    const client = harness.client();
    const limited = await rejection(client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: '[[fake:rate-limit]] Too fast' }] }));
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.headers?.get('retry-after')).toBe('1');
    const filtered = await rejection(client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: '[[fake:moderation]] Rude' }] }));
    expect(filtered).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(filtered.code).toBe('content_filter');
  });
});
