/**
 * Constants of the upstream protocol (../shared/arena-protocol.md), shared by the arena core and
 * the fake LMArena. When the site changes, this file changes.
 */

/** The current origin (§2.1); `lmarena.ai` 301-redirects here since 2026-02. */
export const ARENA_ORIGIN = 'https://arena.ai';
/** The pre-2026 origin, still matched by userscripts. */
export const LEGACY_ARENA_ORIGIN = 'https://lmarena.ai';

/** Path prefix of the stream endpoints since 2025-08-27 (§1). */
export const STREAM_PREFIX = '/nextjs-api/stream';
/** Path prefix before 2025-08-27; answers 403 "Route not allowed" on arena.ai (§7). */
export const LEGACY_STREAM_PREFIX = '/api/stream';

export const PATHS = {
  createEvaluation: `${STREAM_PREFIX}/create-evaluation`,
  postToEvaluation: (sessionId: string) => `${STREAM_PREFIX}/post-to-evaluation/${sessionId}`,
  retryMessage: (sessionId: string, messageId: string, prefix: string = STREAM_PREFIX) =>
    `${prefix}/retry-evaluation-session-message/${sessionId}/messages/${messageId}`,
  modelCatalog: '/nextjs-api/model-catalog',
  signUp: '/nextjs-api/sign-up',
  directPage: '/text/direct',
  imagePage: '/?chat-modality=image',
  conversationPage: (sessionId: string) => `/c/${sessionId}`,
  login: '/login',
} as const;

/** reCAPTCHA site keys seen (§6.1). The live v3 key is read from the page; these are fallbacks. */
export const RECAPTCHA_V3_SITE_KEY = '6Led_uYrAAAAAKjxDIF58fgFtX3t8loNAK85bW9I';
export const RECAPTCHA_V2_SITE_KEY = '6Ld7ePYrAAAAAB34ovoFoDau1fqCJ6IyOjFEQaMn';
/** Turnstile site key for anonymous sign-up (§6.5). */
export const TURNSTILE_SITE_KEY = '0x4AAAAAAA65vWDmG-O_lPtT';

/** Body fields that carry reCAPTCHA tokens (§6.1, §6.4). */
/**
 * How long a v3 token minted ahead may wait for its request: the site's tokens expire after about
 * two minutes (§6.1), and one must still be valid when the request reaches the site.
 */
export const RECAPTCHA_V3_TOKEN_MAX_AGE_MS = 90_000;
export const RECAPTCHA_V3_FIELD = 'recaptchaV3Token';
export const RECAPTCHA_V2_FIELD = 'recaptchaV2Token';

/** The auth cookie (§2.2, §2.3); large values are split into `.0`, `.1`, … */
export const AUTH_COOKIE = 'arena-auth-prod-v1';
export const PROVISIONAL_USER_COOKIE = 'provisional_user_id';
export const CLEARANCE_COOKIE = 'cf_clearance';

/** Server actions the bridge uses (§8.2, §8.3). */
export const SERVER_ACTION_NAMES = [
  'generateUploadUrl',
  'getSignedUrl',
  'deleteEvaluationSession',
  'updateTouConsent',
] as const;
export type ServerActionName = (typeof SERVER_ACTION_NAMES)[number];

/** The arena's practical prompt size limit, in characters (issue: conversations). */
export const PROMPT_CHARACTER_LIMIT = 50_000;
/** The practical limit of inline (Gen A) attachments, in bytes (§8.1). */
export const INLINE_ATTACHMENT_LIMIT_BYTES = 5 * 1024 * 1024;
