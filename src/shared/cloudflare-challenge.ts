/**
 * Cloudflare challenge detection (arena-protocol.md §10.3): one rule for the arena parser reading a
 * response body or a stream's first bytes, the in-page agent reading its page, and the Chromium
 * host probing its pages.
 *
 * A title only an interstitial has ("Just a moment", "Checking your browser", "Attention Required!
 * | Cloudflare") or Cloudflare's challenge machinery (the `_cf_chl_opt` global, challenge elements)
 * is a challenge wherever it shows. The weaker signs (a "Please wait" title, a Turnstile widget, the
 * interstitial's phrases in the text) count only when the site's own app is not showing: the app
 * renders Turnstile itself for sign-up and may ask to wait, and an interstitial never carries the
 * app's flight data.
 */

/** CSS selector for elements only a Cloudflare interstitial has. */
export const CHALLENGE_SELECTOR =
  '#challenge-form, #challenge-running, #cf-challenge-running, #cf-please-wait, #cf-spinner-please-wait, #cf-cloudflare-status, .cf-browser-verification';

/** CSS selector for a Turnstile widget, on an interstitial or on the site's own sign-up. */
export const TURNSTILE_SELECTOR = 'iframe[src*="challenges.cloudflare.com"], #cf-turnstile';

/** What a page shows that may betray a Cloudflare interstitial. */
export interface ChallengeSignals {
  /** The page title (a status prefix before it does no harm). */
  title: string;
  /** The Next.js app has booted (`self.__next_f` has entries): the site itself is showing. */
  isApp: boolean;
  /** `window._cf_chl_opt` exists. */
  hasChallengeGlobal: boolean;
  /** An element matching {@link CHALLENGE_SELECTOR} exists. */
  hasChallengeElement: boolean;
  /** An element matching {@link TURNSTILE_SELECTOR} exists. */
  hasTurnstile: boolean;
  /** The page's text, or `''` when it was not read; only consulted when the app is not showing. */
  bodyText: string;
}

// All lower-case; matched as plain substrings of lower-cased text.
const CHALLENGE_TITLES: readonly string[] = ['just a moment', 'checking your browser', 'attention required! | cloudflare'];
const WAIT_TITLE = 'please wait';
const CHALLENGE_PHRASES: readonly string[] = [
  'enable javascript and cookies to continue',
  'verifying you are human',
  'please complete the security check',
  'ddos protection by cloudflare',
  'attention required! | cloudflare',
];
// The markup form of the challenge global, elements and Turnstile, for text that is not a live page.
// `<title>just a moment` also catches a title whose closing tag has not arrived yet.
const CHALLENGE_MARKUP: readonly string[] = [
  '<title>just a moment',
  'window._cf_chl_opt',
  '__cf_chl_jschl_tk__',
  'cf-browser-verification',
  'cf-challenge-running',
  'cf_challenge_response',
  'id="cf-please-wait"',
  'id="cf-spinner-please-wait"',
  'id="cf-cloudflare-status"',
  'challenges.cloudflare.com',
  '/cdn-cgi/challenge-platform/',
];

const containsAny = (text: string, needles: readonly string[]): boolean => needles.some((needle) => text.includes(needle));

/**
 * True when a Cloudflare challenge page is showing instead of the site.
 *
 * @example
 * const calm = { isApp: true, hasChallengeGlobal: false, hasChallengeElement: false, hasTurnstile: false, bodyText: '' };
 * detectChallenge({ ...calm, title: 'Just a moment...' }); // true
 * detectChallenge({ ...calm, title: 'Please wait' }); // false: the site's own wording
 * detectChallenge({ ...calm, title: 'Please wait', isApp: false }); // true
 */
export function detectChallenge(signals: ChallengeSignals): boolean {
  const title = signals.title.toLowerCase();
  if (containsAny(title, CHALLENGE_TITLES) || signals.hasChallengeGlobal || signals.hasChallengeElement) return true;
  if (signals.isApp) return false;
  return signals.hasTurnstile || title.includes(WAIT_TITLE) || containsAny(signals.bodyText.toLowerCase(), CHALLENGE_PHRASES);
}

/** The text inside the first `<title>…</title>` of lower-cased markup, or `''`. */
function titleOf(lower: string): string {
  const titleStart = lower.indexOf('<title');
  if (titleStart === -1) return '';
  const contentStart = lower.indexOf('>', titleStart);
  if (contentStart === -1) return '';
  const titleEnd = lower.indexOf('</title', contentStart);
  return titleEnd === -1 ? '' : lower.slice(contentStart + 1, titleEnd);
}

/**
 * True when `text` (a response body, a stream's first bytes, or a page's HTML) is a Cloudflare
 * challenge or block page: {@link detectChallenge} for a page that is not the app, with the
 * markup of the challenge global, elements and Turnstile standing for the live page's DOM.
 */
export function isChallengeText(text: string): boolean {
  const lower = text.toLowerCase();
  if (containsAny(lower, CHALLENGE_MARKUP)) return true;
  return detectChallenge({
    title: titleOf(lower),
    isApp: false,
    hasChallengeGlobal: false,
    hasChallengeElement: false,
    hasTurnstile: false,
    bodyText: lower,
  });
}
