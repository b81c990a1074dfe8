import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));

interface PageGlobals {
  grecaptcha?: {
    enterprise: {
      execute(key: string | number, options?: { action: string }): Promise<string>;
      render(element: HTMLElement, parameters: { sitekey: string; size: string; callback: (token: string) => void }): number;
    };
  };
  captured?: string[];
}

it.skipIf(CHROMIUM === undefined)('works in Chromium: challenge, grecaptcha v3/v2, page fetch, Retry button seen by a fetch wrapper', async () => {
  const fake = await startFakeArena({ challengeOnStart: true, challengeClearDelayMs: 100 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${fake.url}/text/direct`);
    await page.waitForFunction(() => document.title.includes('Arena') && !document.title.includes('Just a moment'), undefined, { timeout: 5000 });
    expect((await page.context().cookies()).map((entry) => entry.name).sort()).toEqual(['arena-auth-prod-v1', 'cf_clearance', 'provisional_user_id']);
    await page.waitForFunction(() => (window as PageGlobals).grecaptcha !== undefined);
    const v3 = await page.evaluate((key) => (window as PageGlobals).grecaptcha?.enterprise.execute(key, { action: 'chat_submit' }), fake.options.siteKeyV3);
    const v2 = await page.evaluate((key) => new Promise<string>((resolve) => {
      const element = document.body.appendChild(document.createElement('div'));
      const api = (window as PageGlobals).grecaptcha?.enterprise;
      const id = api?.render(element, { sitekey: key, size: 'invisible', callback: resolve }) ?? 0;
      void api?.execute(id);
    }), fake.options.siteKeyV2);
    expect(v2).toMatch(/^03AFY_a8/);
    const body = {
      id: crypto.randomUUID(), mode: 'direct-battle', modelAId: fake.options.models[0]?.id, userMessageId: crypto.randomUUID(),
      modelAMessageId: crypto.randomUUID(), userMessage: { content: 'from page' }, modality: 'chat', recaptchaV3Token: v3,
    };
    const text = await page.evaluate(async (payload) => (await fetch('/nextjs-api/stream/create-evaluation', { method: 'POST', body: JSON.stringify(payload) })).text(), body);
    expect(text).toMatch(/^a0:"Echo "\n/);
    await page.goto(`${fake.url}/c/${body.id}`);
    await page.evaluate(() => {
      const original = window.fetch;
      const globals = window as PageGlobals;
      globals.captured = [];
      window.fetch = (input, init) => {
        globals.captured?.push(String(input));
        return original(input, init);
      };
    });
    await page.click('#retry-button');
    await page.waitForSelector('#retry-status[data-state="done"]', { timeout: 5000 });
    expect(await page.evaluate(() => (window as PageGlobals).captured)).toEqual([
      `/nextjs-api/stream/retry-evaluation-session-message/${body.id}/messages/${body.modelAMessageId}`,
    ]);
    expect(await page.locator('li.assistant .content').innerText()).toMatch(/^Echo #1 \(regenerated\): from page/);
  } finally {
    await browser.close();
    await fake.close();
  }
});

it.skipIf(CHROMIUM === undefined)('an interactive challenge passes on a real click on its Turnstile checkbox, not on a script\'s click', async () => {
  const fake = await startFakeArena({ challengeOnStart: true, challengeInteractive: true, challengeClearDelayMs: 50 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${fake.url}/`);
    expect(await page.title()).toBe('Just a moment...');
    await page.evaluate(() => document.getElementById('cf-turnstile-box')?.click());
    await page.mouse.click(5, 5);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await page.title()).toBe('Just a moment...');
    await page.click('#cf-turnstile-box');
    await page.waitForFunction(() => !document.title.includes('Just a moment'), undefined, { timeout: 5000 });
    expect((await page.context().cookies()).map((entry) => entry.name)).toContain('cf_clearance');
  } finally {
    await browser.close();
    await fake.close();
  }
});
