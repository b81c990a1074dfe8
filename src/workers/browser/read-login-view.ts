/**
 * What `login` reads from its window: who is signed in (the flight data, as the host's probe reads
 * it) and whether the site shows its Security Verification modal (arena-protocol.md §15.4), read
 * by the in-page agent's own code so the two never disagree on what the modal looks like.
 */
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { detectVerification } from '../../../userscript/src/page-state.js';
import { readDialogSignals, VERIFICATION_QUERY } from '../../../userscript/src/read-dialog-signals.js';
import { emailOf, probePage } from './page-probe.js';

/** The arena as the login window shows it. */
export interface LoginView {
  /** The signed-in user; null on an anonymous app page; undefined while no app page has loaded. */
  email: string | null | undefined;
  /** The Security Verification modal shows on a page of the signed-in user. */
  verification: boolean;
}

const dialogsSchema = z.array(z.object({ id: z.string(), text: z.string(), visible: z.boolean() }));

/** Whether `page` shows the Security Verification modal, as the agent's `readVerification` decides. */
export async function showsVerification(page: Page): Promise<boolean> {
  return detectVerification(dialogsSchema.parse(await page.evaluate(readDialogSignals, VERIFICATION_QUERY)));
}

async function readPage(page: Page): Promise<LoginView> {
  const email = emailOf(await probePage(page));
  return { email, verification: typeof email === 'string' && (await showsVerification(page)) };
}

/**
 * Reads every page of `origin` in the window (the person may open tabs): the first signed-in one
 * wins; a page that is navigating or closing is skipped.
 */
export async function readLoginView(pages: readonly Page[], origin: string): Promise<LoginView> {
  let anonymous = false;
  for (const page of pages) {
    if (page.isClosed() || !page.url().startsWith(origin)) continue;
    const view = await readPage(page).catch(() => undefined);
    if (typeof view?.email === 'string') return view;
    if (view?.email === null) anonymous = true;
  }
  return { email: anonymous ? null : undefined, verification: false };
}
