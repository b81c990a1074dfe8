import type { Page } from 'playwright-core';
import { TURNSTILE_SELECTOR } from '../../shared/cloudflare-challenge.js';

/**
 * Clicks a Turnstile checkbox on a challenge page (§10.3). The checkbox lives in a cross-origin
 * iframe (behind a closed shadow root on the real site), so the click goes to where the box is
 * drawn: the left of the widget, vertically centred. Resolves false when there is no widget.
 */
export async function clickTurnstile(page: Page): Promise<boolean> {
  const widget = page.locator(TURNSTILE_SELECTOR).first();
  const box = await widget.boundingBox({ timeout: 1000 }).catch(() => null);
  if (box === null || box.width === 0 || box.height === 0) return false;
  await page.mouse.click(box.x + Math.min(30, box.width / 2), box.y + box.height / 2);
  return true;
}
