import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));
const CHECKBOX = '#security-verification-widget .fake-recaptcha-checkbox';

interface PageGlobals {
  grecaptcha?: { enterprise: { execute(keyOrWidget: string | number, options?: { action: string }): Promise<string> } };
}

it.skipIf(CHROMIUM === undefined)('a flagged account\'s page shows Security Verification; only a real click on its checkbox clears the flag', async () => {
  const fake = await startFakeArena();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const user = fake.createIdentity({ email: 'flagged@example.com' });
    const context = await browser.newContext();
    await context.addCookies([{ name: 'arena-auth-prod-v1', value: user.cookieValue, url: fake.url }]);
    fake.flagAccount(user.userId, 600);
    const page = await context.newPage();
    const verifications: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/nextjs-api/security-verification')) verifications.push(request.postData() ?? '');
    });
    await page.goto(`${fake.url}/text/direct`);
    const dialog = page.getByRole('dialog', { name: 'Security Verification' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.waitForSelector(CHECKBOX);
    const streamStatus = (): Promise<number> => page.evaluate(async ([key, modelAId]) => {
      const token = await (window as PageGlobals).grecaptcha?.enterprise.execute(key ?? '', { action: 'chat_submit' });
      const body = {
        id: crypto.randomUUID(), mode: 'direct-battle', modelAId, userMessageId: crypto.randomUUID(), modelAMessageId: crypto.randomUUID(),
        userMessage: { content: 'after the check' }, modality: 'chat', recaptchaV3Token: token,
      };
      const response = await fetch('/nextjs-api/stream/create-evaluation', { method: 'POST', body: JSON.stringify(body) });
      await response.text();
      return response.status;
    }, [fake.options.siteKeyV3, fake.options.models[0]?.id] as const);
    expect(await streamStatus()).toBe(403);

    await page.evaluate((selector) => (document.querySelector(selector) as HTMLElement | null)?.click(), CHECKBOX);
    await page.evaluate(() => (window as PageGlobals).grecaptcha?.enterprise.execute(0));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(verifications).toEqual([]);
    expect(await page.locator('#security-verification').count()).toBe(1);
    expect(fake.accountFlags().map((flag) => flag.userId)).toEqual([user.userId]);

    await page.locator(CHECKBOX).click();
    await page.waitForSelector('#security-verification', { state: 'detached', timeout: 5000 });
    expect(verifications).toHaveLength(1);
    expect(JSON.parse(verifications[0] ?? '{}')).toEqual({ recaptchaV2Token: expect.stringMatching(/^03AFY_a8/) });
    expect(fake.accountFlags()).toEqual([]);
    expect(await streamStatus()).toBe(200);
    await page.reload();
    expect(await page.locator('#security-verification').count()).toBe(0);
  } finally {
    await browser.close();
    await fake.close();
  }
});
