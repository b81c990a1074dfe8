/**
 * Pure readers for the page facts in PageState: Cloudflare challenge markers (arena-protocol.md
 * §10.3), the reCAPTCHA script tag (§6.1), the user object in Next.js flight data (§7) and the
 * account flag's Security Verification modal (§15.4).
 */

/** The reCAPTCHA script the page loads: its site key and where it came from. */
export interface RecaptchaScript {
  siteKey: string;
  /** Origin the page loaded it from (google.com, recaptcha.net, or a test host). */
  origin: string;
  enterprise: boolean;
}

const RECAPTCHA_PATH = /\/recaptcha\/(enterprise|api)\.js$/;

/** Finds the v3 site key in `…/recaptcha/enterprise.js?render=<key>` (or `api.js`), whatever the host. */
export function findRecaptchaScript(scriptSources: readonly string[], baseUrl: string): RecaptchaScript | undefined {
  let fallback: RecaptchaScript | undefined;
  for (const source of scriptSources) {
    let url: URL;
    try {
      url = new URL(source, baseUrl || undefined);
    } catch {
      continue;
    }
    const kind = RECAPTCHA_PATH.exec(url.pathname)?.[1];
    const siteKey = url.searchParams.get('render');
    if (!kind || !siteKey || siteKey === 'explicit') continue;
    const found = { siteKey, origin: url.origin, enterprise: kind === 'enterprise' };
    if (found.enterprise) return found;
    fallback ??= found;
  }
  return fallback;
}

/** What the page shows that may betray a Cloudflare interstitial. */
export interface ChallengeSignals {
  title: string;
  /** The Next.js app has booted (`self.__next_f` has entries): the site itself is showing. */
  isApp: boolean;
  /** `window._cf_chl_opt` exists. */
  hasChallengeGlobal: boolean;
  /** `#challenge-form`, `#cf-please-wait`, `.cf-browser-verification`, … exists. */
  hasChallengeElement: boolean;
  /** An `iframe[src*="challenges.cloudflare.com"]` exists (also the site's own sign-up Turnstile). */
  hasTurnstileFrame: boolean;
  /** Body text; only consulted when the app is not showing. */
  bodyText: string;
}

/** CSS selector for challenge-only elements. */
export const CHALLENGE_SELECTOR =
  '#challenge-form, #challenge-running, #cf-challenge-running, #cf-please-wait, #cf-spinner-please-wait, #cf-cloudflare-status, .cf-browser-verification';

const CHALLENGE_TITLE = /just a moment|checking your browser|attention required! \| cloudflare/i;
const CHALLENGE_TEXT =
  /enable javascript and cookies to continue|verifying you are human|please complete the security check|ddos protection by cloudflare|checking your browser|just a moment/i;

/** True when a Cloudflare challenge page is showing instead of the site. */
export function detectChallenge(signals: ChallengeSignals): boolean {
  if (CHALLENGE_TITLE.test(signals.title) || signals.hasChallengeGlobal || signals.hasChallengeElement) return true;
  // The site renders Turnstile itself for sign-up and may say "please wait"; only a page that is
  // not the app counts these as a challenge.
  if (signals.isApp) return false;
  return signals.hasTurnstileFrame || /please wait/i.test(signals.title) || CHALLENGE_TEXT.test(signals.bodyText);
}

/** One element that may be the site's Security Verification modal (arena-protocol.md §15.4). */
export interface DialogSignals {
  /** The element's id; `security-verification` is the modal itself. */
  id: string;
  /** Its text (only read for rendered elements, and cut short). */
  text: string;
  /** Rendered: not `display: none`, `hidden` or `visibility: hidden`. */
  visible: boolean;
}

/** Elements that may be the Security Verification modal. */
export const VERIFICATION_SELECTOR = '#security-verification, [role="dialog"], [role="alertdialog"], dialog[open]';

const VERIFICATION_TEXT = /security verification/i;

/**
 * True while the account flag's "Security Verification" modal (a v2 checkbox a person can pass)
 * is showing: a rendered dialog that is `#security-verification` or says so in its text.
 */
export function detectVerification(dialogs: readonly DialogSignals[]): boolean {
  return dialogs.some((dialog) => dialog.visible && (dialog.id === 'security-verification' || VERIFICATION_TEXT.test(dialog.text)));
}

/** The decoded text of `self.__next_f` (`[1, "<text>"]` entries, in order). */
export function readFlightText(entries: readonly unknown[]): string {
  let text = '';
  for (const entry of entries) {
    if (Array.isArray(entry) && entry[0] === 1 && typeof entry[1] === 'string') text += entry[1];
  }
  return text;
}

/** Index just past the JSON object starting at `start` (a `{`), or -1 when it does not close in time. */
function endOfObject(text: string, start: number, limit: number): number {
  let depth = 0;
  let inString = false;
  const end = Math.min(text.length, start + limit);
  for (let index = start; index < end; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '{') depth += 1;
    else if (character === '}' && --depth === 0) return index + 1;
  }
  return -1;
}

/** The site's user as found in flight data. */
export interface FlightUser {
  id: string | null;
  email: string | null;
}

const USER_KEY = '"user":{';
const MAX_USER_CHARS = 20_000;

/** Finds the first `"user":{…}` object with an `id` or `email` in flight text. */
export function parseFlightUser(text: string): FlightUser | undefined {
  for (let at = text.indexOf(USER_KEY); at !== -1; at = text.indexOf(USER_KEY, at + USER_KEY.length)) {
    const start = at + USER_KEY.length - 1;
    const end = endOfObject(text, start, MAX_USER_CHARS);
    if (end === -1) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const record = value as Record<string, unknown>;
    const id = typeof record.id === 'string' && record.id !== '' ? record.id : null;
    const email = typeof record.email === 'string' && record.email !== '' ? record.email : null;
    if (id !== null || email !== null) return { id, email };
  }
  return undefined;
}

/** Reads one cookie (e.g. `provisional_user_id`) from a `document.cookie` string. */
export function readCookie(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value) || null;
    } catch {
      return value || null;
    }
  }
  return null;
}
