import { RECAPTCHA_V2_SITE_KEY, RECAPTCHA_V3_SITE_KEY } from '../arena/constants.js';
import type { FakeArenaAccountFlag } from './account-flag-options.js';
import type { FakeModel } from './models.js';
import { DEFAULT_MODELS } from './models.js';
import type { TlsCredentials } from './tls-certificate.js';

/** How stream replies are written to the socket. */
export interface FakeArenaPacing {
  /**
   * Pause between written chunks, in milliseconds.
   * @default 0
   */
  chunkDelayMs?: number;
  /**
   * Records per written chunk (several records in one network chunk, as the site does).
   * @default 1
   */
  recordsPerChunk?: number;
  /**
   * Split every chunk in two writes, inside a multi-byte UTF-8 character when the chunk has one,
   * so clients must buffer partial records and partial characters.
   * @default false
   */
  splitRecords?: boolean;
}

/** The `ratelimit` / `ratelimit-policy` budget, counted per identity (§15.5: variable; read it from the header). */
export interface FakeArenaRateLimit {
  /** @default 1800 */
  limit: number;
  /** @default 300 */
  windowSeconds: number;
}

/** Options of {@link startFakeArena}. Every field is optional. */
export interface FakeArenaOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /**
   * Serve HTTPS with HTTP/2 (ALPN `h2`, falling back to `http/1.1`), as the real site does, so a
   * browser multiplexes its requests over one connection instead of queueing them behind six
   * HTTP/1.1 connections. `true` generates a self-signed certificate for 127.0.0.1, ::1 and
   * localhost at start (valid 7 days); `{ key, cert }` serves the given PEM pair. Either way
   * `fake.certificate` holds the certificate for clients to trust. Read at start only
   * (`setOptions` ignores it). @default false (plain HTTP/1.1)
   * @example
   * const fake = await startFakeArena({ tls: true });
   * // Chromium: ignoreHTTPSErrors in the Playwright context, or --ignore-certificate-errors
   */
  tls?: boolean | TlsCredentials;
  /** @default { chunkDelayMs: 0, recordsPerChunk: 1, splitRecords: false } */
  pacing?: FakeArenaPacing;
  /** Lifetime of minted reCAPTCHA tokens. @default 120000 */
  tokenLifetimeMs?: number;
  /** Lifetime of issued auth sessions (`expires_in`), in seconds. @default 3600 */
  authLifetimeSeconds?: number;
  /** Direct mode with an anonymous identity answers 401 `LOGIN_GATE` (§7). @default false */
  requireLoginForDirect?: boolean;
  /** Pages and stream endpoints show the Cloudflare challenge until `cf_clearance` is set. @default false */
  challengeOnStart?: boolean;
  /** How long the challenge page waits before setting `cf_clearance` and reloading. @default 1500 */
  challengeClearDelayMs?: number;
  /**
   * The challenge shows a Turnstile checkbox (`#cf-turnstile`) and passes only when a real click
   * (not a script's) lands on the box; `challengeClearDelayMs` then counts from the click. @default false
   */
  challengeInteractive?: boolean;
  /** Legacy `/api/stream/*`: `forbidden` answers 403 "Route not allowed" (§7). @default 'forbidden' */
  legacyRoutes?: 'forbidden' | 'allow';
  /** Accepted spellings of single-model mode (§5.4); others answer 400. @default ['direct', 'direct-battle'] */
  directModeValues?: readonly string[];
  /**
   * `refuse`: create-evaluation with `mode:"direct"` answers 400 `'direct' mode is not allowed when
   * starting a new conversation`, as the live site does (§15.1); `allow`: the pre-2026 behaviour.
   * Follow-ups (post-to-evaluation) need no mode: they keep the session's. @default 'refuse'
   */
  directOnCreate?: 'refuse' | 'allow';
  /** Ids must be UUIDv7 with a plausible timestamp (§2.5). @default false */
  requireUuidV7?: boolean;
  /** The retry endpoint requires a reCAPTCHA token (the 2026 site always sends one). @default false */
  requireRetryToken?: boolean;
  /** @default RECAPTCHA_V3_SITE_KEY from src/arena/constants.ts */
  siteKeyV3?: string;
  /** @default RECAPTCHA_V2_SITE_KEY from src/arena/constants.ts */
  siteKeyV2?: string;
  /** Models served in pages, the catalog and accepted by the stream endpoints. @default DEFAULT_MODELS */
  models?: readonly FakeModel[];
  /** @default { limit: 1800, windowSeconds: 300 } */
  rateLimit?: FakeArenaRateLimit;
  /**
   * The account-level "Security Verification" flag (§15.4); `false` (or absent) turns tripping off.
   * Flags raised by the `account-flag` injection or `flagAccount` work either way. @default off
   */
  accountFlag?: FakeArenaAccountFlag | false;
  /** Filler words appended to every reply, each its own record. @default 8 */
  replyWords?: number;
  /** Gap between the heartbeats of the `slow` injection. @default 1000 */
  slowGapMs?: number;
  /** `Retry-After` seconds of the `rate-limit` injection and of a spent budget. @default 1 */
  retryAfterSeconds?: number;
  /** Lifetime of presigned upload/download URLs, in seconds. @default 600 */
  signedUrlLifetimeSeconds?: number;
  /** Where `lmarena.*` hosts and `domain-move` redirect to. @default the fake's own URL */
  canonicalOrigin?: string;
  /** Clock in epoch milliseconds; tests inject one to expire tokens without waiting. @default Date.now */
  now?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedFakeArenaOptions {
  host: string;
  port: number;
  pacing: Required<FakeArenaPacing>;
  tokenLifetimeMs: number;
  authLifetimeSeconds: number;
  requireLoginForDirect: boolean;
  challengeOnStart: boolean;
  challengeClearDelayMs: number;
  challengeInteractive: boolean;
  legacyRoutes: 'forbidden' | 'allow';
  directModeValues: readonly string[];
  directOnCreate: 'refuse' | 'allow';
  requireUuidV7: boolean;
  requireRetryToken: boolean;
  siteKeyV3: string;
  siteKeyV2: string;
  models: readonly FakeModel[];
  rateLimit: FakeArenaRateLimit;
  accountFlag: FakeArenaAccountFlag | undefined;
  replyWords: number;
  slowGapMs: number;
  retryAfterSeconds: number;
  signedUrlLifetimeSeconds: number;
  canonicalOrigin: string | undefined;
  now: () => number;
}

/** Fills defaults; `base` supplies values for fields `options` leaves out (used by setOptions). */
export function resolveOptions(options: FakeArenaOptions, base?: ResolvedFakeArenaOptions): ResolvedFakeArenaOptions {
  const pacing = { chunkDelayMs: 0, recordsPerChunk: 1, splitRecords: false, ...base?.pacing, ...options.pacing };
  return {
    host: options.host ?? base?.host ?? '127.0.0.1',
    port: options.port ?? base?.port ?? 0,
    pacing: { ...pacing, recordsPerChunk: Math.max(1, Math.floor(pacing.recordsPerChunk)) },
    tokenLifetimeMs: options.tokenLifetimeMs ?? base?.tokenLifetimeMs ?? 120_000,
    authLifetimeSeconds: options.authLifetimeSeconds ?? base?.authLifetimeSeconds ?? 3600,
    requireLoginForDirect: options.requireLoginForDirect ?? base?.requireLoginForDirect ?? false,
    challengeOnStart: options.challengeOnStart ?? base?.challengeOnStart ?? false,
    challengeClearDelayMs: options.challengeClearDelayMs ?? base?.challengeClearDelayMs ?? 1500,
    challengeInteractive: options.challengeInteractive ?? base?.challengeInteractive ?? false,
    legacyRoutes: options.legacyRoutes ?? base?.legacyRoutes ?? 'forbidden',
    directModeValues: options.directModeValues ?? base?.directModeValues ?? ['direct', 'direct-battle'],
    directOnCreate: options.directOnCreate ?? base?.directOnCreate ?? 'refuse',
    requireUuidV7: options.requireUuidV7 ?? base?.requireUuidV7 ?? false,
    requireRetryToken: options.requireRetryToken ?? base?.requireRetryToken ?? false,
    siteKeyV3: options.siteKeyV3 ?? base?.siteKeyV3 ?? RECAPTCHA_V3_SITE_KEY,
    siteKeyV2: options.siteKeyV2 ?? base?.siteKeyV2 ?? RECAPTCHA_V2_SITE_KEY,
    models: options.models ?? base?.models ?? DEFAULT_MODELS,
    rateLimit: options.rateLimit ?? base?.rateLimit ?? { limit: 1800, windowSeconds: 300 },
    accountFlag: options.accountFlag === false ? undefined : (options.accountFlag ?? base?.accountFlag),
    replyWords: options.replyWords ?? base?.replyWords ?? 8,
    slowGapMs: options.slowGapMs ?? base?.slowGapMs ?? 1000,
    retryAfterSeconds: options.retryAfterSeconds ?? base?.retryAfterSeconds ?? 1,
    signedUrlLifetimeSeconds: options.signedUrlLifetimeSeconds ?? base?.signedUrlLifetimeSeconds ?? 600,
    canonicalOrigin: options.canonicalOrigin ?? base?.canonicalOrigin,
    now: options.now ?? base?.now ?? Date.now,
  };
}
