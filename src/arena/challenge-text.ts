/**
 * Strings that mark a Cloudflare challenge or block page (§10.3), lower-cased. Matched as plain
 * substrings of the lower-cased text.
 */
const CHALLENGE_MARKERS: readonly string[] = [
  '<title>just a moment',
  'enable javascript and cookies to continue',
  'window._cf_chl_opt',
  '__cf_chl_jschl_tk__',
  'cf-browser-verification',
  'cf-challenge-running',
  'cf_challenge_response',
  'id="cf-please-wait"',
  'id="cf-spinner-please-wait"',
  'id="cf-cloudflare-status"',
  'attention required! | cloudflare',
  'ddos protection by cloudflare',
  'verifying you are human',
  'please complete the security check',
  'challenges.cloudflare.com',
  '/cdn-cgi/challenge-platform/',
];

/** Words that make a page `<title>` a challenge title (§10.3: "title containing …"). */
const CHALLENGE_TITLE_WORDS: readonly string[] = ['just a moment', 'checking your browser', 'please wait'];

/**
 * True when `text` (a response body, a stream's first bytes, or a page's HTML) contains any of the
 * Cloudflare challenge markers of §10.3, including a `<title>` that says "Just a moment",
 * "Checking your browser" or "Please wait".
 */
export function isChallengeText(text: string): boolean {
  const lower = text.toLowerCase();
  for (const marker of CHALLENGE_MARKERS) {
    if (lower.includes(marker)) return true;
  }
  const titleStart = lower.indexOf('<title');
  if (titleStart === -1) return false;
  const contentStart = lower.indexOf('>', titleStart);
  const titleEnd = lower.indexOf('</title', contentStart);
  if (contentStart === -1 || titleEnd === -1) return false;
  const title = lower.slice(contentStart + 1, titleEnd);
  return CHALLENGE_TITLE_WORDS.some((word) => title.includes(word));
}

/**
 * True when the first non-blank characters of `text` open markup (`<!DOCTYPE`, `<html`, any tag):
 * a record line always starts with a side letter, so `<` can only be a page.
 */
export function looksLikeHtml(text: string): boolean {
  return text.trimStart().startsWith('<');
}
