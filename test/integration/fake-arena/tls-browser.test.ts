import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { spkiSha256, startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM, NO_CHROMIUM_REASON, launchChromium } from '../../support/chromium.js';
import { CREATE, parseRecords, textOf } from './helpers.js';

/** What the page reports after reading a stream with fetch. */
interface PageRead {
  status: number;
  chunks: number;
  text: string;
  error: string | null;
}

describe.skipIf(!HAS_CHROMIUM)(`Chromium on the fake over TLS (${HAS_CHROMIUM ? 'h2' : NO_CHROMIUM_REASON})`, () => {
  let fake: FakeArena;
  let browser: Browser;
  beforeAll(async () => {
    fake = await startFakeArena({ tls: true, pacing: { chunkDelayMs: 10 } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
  });

  it('loads the page over h2 and streams create-evaluation with the page fetch; drop is a network error mid-body', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      await page.goto(`${fake.url}/text/direct`);
      const protocol = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.nextHopProtocol);
      expect(protocol).toBe('h2');
      expect((await context.cookies()).map((entry) => entry.name).sort()).toEqual(['arena-auth-prod-v1', 'provisional_user_id']);

      const read = (inject: string | null): Promise<PageRead> => page.evaluate(async ({ path, body, inject }) => {
        const headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' };
        if (inject !== null) headers['x-fake-arena-inject'] = inject;
        const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
        const reader = response.body?.getReader();
        const decoder = new TextDecoder();
        let text = '';
        let chunks = 0;
        try {
          for (;;) {
            const next = await reader?.read();
            if (next === undefined || next.done) break;
            chunks += 1;
            text += decoder.decode(next.value, { stream: true });
          }
          return { status: response.status, chunks, text, error: null };
        } catch (error) {
          return { status: response.status, chunks, text, error: error instanceof Error ? error.name : String(error) };
        }
      }, { path: CREATE, inject, body: browserBody(fake, inject ?? 'from the page') });

      const streamed = await read(null);
      expect([streamed.status, streamed.error]).toEqual([200, null]);
      expect(streamed.chunks).toBeGreaterThan(5);
      expect(textOf(parseRecords(streamed.text))).toMatch(/^Echo #1: from the page/);
      expect(fake.requests.at(-1)).toMatchObject({ httpVersion: '2.0', status: 200, finished: true });

      const dropped = await read('drop');
      expect([dropped.status, dropped.error]).toEqual([200, 'TypeError']);
      expect(dropped.text).toMatch(/^a0:/);
      expect(dropped.text).not.toMatch(/\nad:/);
      // The reset is final: Chromium does not retry the POST.
      expect(fake.requests.map((entry) => entry.httpVersion)).toEqual(['2.0', '2.0']);
    } finally {
      await context.close();
    }
  });

  it('trusts the certificate through --ignore-certificate-errors-spki-list, as the CLI advises', async () => {
    const untrusting = await browser.newContext();
    try {
      await expect((await untrusting.newPage()).goto(`${fake.url}/`)).rejects.toThrow(/ERR_CERT_/);
    } finally {
      await untrusting.close();
    }
    const spki = `--ignore-certificate-errors-spki-list=${spkiSha256(fake.certificate ?? '')}`;
    // Playwright's launch always passes a fresh --user-data-dir, without which Chromium ignores the list.
    const trusting = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, spki], headless: true });
    try {
      const page = await trusting.newPage();
      const response = await page.goto(`${fake.url}/`);
      expect(response?.status()).toBe(200);
      expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.nextHopProtocol)).toBe('h2');
    } finally {
      await trusting.close();
    }
  });
});

/** A create-evaluation body for the page (fresh ids, a token from the fake). */
function browserBody(fake: FakeArena, prompt: string): Record<string, unknown> {
  return {
    id: crypto.randomUUID(), mode: 'direct-battle', modelAId: fake.options.models[0]?.id, userMessageId: crypto.randomUUID(),
    modelAMessageId: crypto.randomUUID(), userMessage: { content: prompt }, modality: 'chat', recaptchaV3Token: fake.mintToken({ action: 'chat_submit' }),
  };
}
