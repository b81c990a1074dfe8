/**
 * What the host reads from one of its pages to drive the page's lifecycle: a Cloudflare challenge
 * (arena-protocol.md §10.3), whether the site's app and `grecaptcha` are loaded (§6.1), and the
 * signed-in user from the flight data (§7). The agent in the page does the arena work; this only
 * decides when the page is usable.
 */
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { CHALLENGE_SELECTOR, detectChallenge, TURNSTILE_SELECTOR } from '../../shared/cloudflare-challenge.js';
import { parseFlightUser } from '../../shared/flight-user.js';

/** Raw facts read in the page. */
export interface PageProbe {
  url: string;
  title: string;
  /** The Next.js app booted (`self.__next_f` has entries). */
  isApp: boolean;
  /** Number of flight entries; `flightText` is only sent when it changed since the last probe. */
  flightEntries: number;
  /** Decoded flight text, or null when unchanged (or not the app). */
  flightText: string | null;
  challengeGlobal: boolean;
  challengeElement: boolean;
  /** A Turnstile widget (`iframe[src*="challenges.cloudflare.com"]` or `#cf-turnstile`). */
  turnstile: boolean;
  recaptchaReady: boolean;
}

const probeSchema = z.object({
  url: z.string(),
  title: z.string(),
  isApp: z.boolean(),
  flightEntries: z.number().int(),
  flightText: z.string().nullable(),
  challengeGlobal: z.boolean(),
  challengeElement: z.boolean(),
  turnstile: z.boolean(),
  recaptchaReady: z.boolean(),
});

/**
 * Runs in the page: must be self-contained (Playwright sends its source), so it joins the flight
 * entries itself, as `joinFlightEntries` does.
 */
function readPage(input: { seenEntries: number; challengeSelector: string; turnstileSelector: string }): PageProbe {
  const view = window as unknown as Record<string, unknown>;
  const flight = view['__next_f'];
  const entries: unknown[] = Array.isArray(flight) ? flight : [];
  let flightText: string | null = null;
  if (entries.length > 0 && entries.length !== input.seenEntries) {
    flightText = '';
    for (const entry of entries) {
      if (Array.isArray(entry) && entry[0] === 1 && typeof entry[1] === 'string') flightText += entry[1];
    }
  }
  const api = view['grecaptcha'] as { execute?: unknown; enterprise?: { execute?: unknown } } | undefined;
  return {
    url: location.href,
    title: document.title,
    isApp: entries.length > 0,
    flightEntries: entries.length,
    flightText,
    challengeGlobal: view['_cf_chl_opt'] !== undefined,
    challengeElement: document.querySelector(input.challengeSelector) !== null,
    turnstile: document.querySelector(input.turnstileSelector) !== null,
    recaptchaReady: typeof api?.enterprise?.execute === 'function' || typeof api?.execute === 'function',
  };
}

/** Reads the page's facts; `seenEntries` is the flight entry count of the previous probe. */
export async function probePage(page: Page, seenEntries = -1): Promise<PageProbe> {
  const raw = await page.evaluate(readPage, {
    seenEntries,
    challengeSelector: CHALLENGE_SELECTOR,
    turnstileSelector: TURNSTILE_SELECTOR,
  });
  return probeSchema.parse(raw);
}

/** How far a page has come. */
export type ProbePhase = 'challenge' | 'loading' | 'waiting-for-recaptcha' | 'loaded';

/** The lifecycle phase a probe shows. */
export function phaseOf(probe: PageProbe): ProbePhase {
  const challenge = detectChallenge({
    title: probe.title,
    isApp: probe.isApp,
    hasChallengeGlobal: probe.challengeGlobal,
    hasChallengeElement: probe.challengeElement,
    hasTurnstile: probe.turnstile,
    // The probe does not read the body: an interstitial's title and elements suffice here.
    bodyText: '',
  });
  if (challenge) return 'challenge';
  if (!probe.isApp) return 'loading';
  return probe.recaptchaReady ? 'loaded' : 'waiting-for-recaptcha';
}

/** The signed-in email in the probe's flight text; null when anonymous, undefined when unchanged. */
export function emailOf(probe: PageProbe): string | null | undefined {
  if (probe.flightText === null) return undefined;
  return parseFlightUser(probe.flightText)?.email ?? null;
}
