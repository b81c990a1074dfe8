/**
 * Types of the Chromium host (./browser-host.ts): its interface, what the composition root passes
 * in, and what /health shows.
 */
import type { Logger } from '../../observability/logger.js';
import type { WorkerConnection, WorkerRegistry } from '../types.js';

/** When a page in trouble is reloaded, restarted, or the whole browser relaunched. */
export interface LifecycleOptions {
  /** reCAPTCHA rejections in a row before the page is reloaded. @default 2 */
  recaptchaFailuresBeforeReload: number;
  /** Reloads without a successful job in between before the page is closed and reopened. @default 2 */
  reloadsBeforePageRestart: number;
  /** Page restarts without a successful job in between before the browser is relaunched. @default 2 */
  pageRestartsBeforeBrowserRestart: number;
  /** An idle ready page is reloaded this long after its last load (0 disables). @default 1800000 (30 min) */
  refreshIntervalMs: number;
  /** How often each page is checked (challenge, grecaptcha, login). @default 1000 */
  pollIntervalMs: number;
  /** A challenge showing longer than this counts as trouble (reload). @default 60000 */
  challengeTimeoutMs: number;
  /** A loaded page without a usable `grecaptcha` for longer than this counts as trouble. @default 30000 */
  recaptchaTimeoutMs: number;
  /** `start()` stops waiting for pages after this; they keep trying in the background. @default 60000 */
  readyTimeoutMs: number;
  /** First delay before relaunching a browser that died, doubled per failed attempt. @default 1000 */
  relaunchInitialDelayMs: number;
  /** @default 30000 */
  relaunchMaxDelayMs: number;
}

/** Defaults of {@link LifecycleOptions}. */
export const DEFAULT_LIFECYCLE: Readonly<LifecycleOptions> = Object.freeze({
  recaptchaFailuresBeforeReload: 2,
  reloadsBeforePageRestart: 2,
  pageRestartsBeforeBrowserRestart: 2,
  refreshIntervalMs: 30 * 60_000,
  pollIntervalMs: 1000,
  challengeTimeoutMs: 60_000,
  recaptchaTimeoutMs: 30_000,
  readyTimeoutMs: 60_000,
  relaunchInitialDelayMs: 1000,
  relaunchMaxDelayMs: 30_000,
});

/** Options of `createBrowserHost`. */
export interface BrowserHostOptions {
  /** Chromium-family executable (from `findChromium(config)`); no browser is ever downloaded. */
  executablePath: string;
  /** @default true */
  headless?: boolean;
  /**
   * Persistent profile directory (see `profileDirFor(dataDir)`), so a sign-in survives restarts.
   * Ignored when `incognito` is true.
   */
  profileDir?: string;
  /** A throw-away profile: nothing is kept between runs. @default false */
  incognito?: boolean;
  /** Outbound proxy, e.g. `http://user:pass@host:3128` or `socks5://host:1080`. */
  proxy?: string;
  /** Pages (= workers) in the one browser. @default 1 */
  pages?: number;
  /** Arena origin, e.g. `https://arena.ai` or the fake's URL. */
  arenaUrl: string;
  /**
   * The bridge's worker endpoint, e.g. `ws://127.0.0.1:5102/ws/worker`; a function is read at
   * `start()`, so the host can be built before the bridge listens on a port it picks.
   */
  bridgeWsUrl: string | (() => string);
  pairingSecret: string;
  agentVersion: string;
  /** The agent bundle; read with `loadAgentBundle()` when omitted. */
  agentBundle?: string;
  logger: Logger;
  /** One line per boot step, for the terminal (e.g. "Page 1: waiting for the Cloudflare challenge"). */
  onProgress?: (step: string) => void;
  lifecycle?: Partial<LifecycleOptions>;
  /** Clock for timestamps and durations. @default Date.now */
  now?: () => number;
}

/** What the host's page was told or saw that needs the page re-bootstrapped (or reported). */
export type BrowserTrouble = 'recaptcha-rejected' | 'auth-expired' | 'login-gate' | 'challenge' | 'worker-lost';

/** Where a page is in its life. */
export type BrowserPageState =
  | 'opening'
  | 'challenge'
  | 'loading'
  | 'waiting-for-recaptcha'
  | 'waiting-for-agent'
  | 'ready'
  | 'reloading'
  | 'restarting'
  | 'browser-down'
  | 'failed'
  | 'stopped';

/** Sign-in state of a page, as seen in the page and in the jobs' errors. */
export type BrowserLoginState = 'unknown' | 'anonymous' | 'signed-in' | 'login-required';

/** One page in /health (no secrets: the page token is not shown). */
export interface BrowserPageSnapshot {
  index: number;
  state: BrowserPageState;
  login: BrowserLoginState;
  /** `anonymous`, `signed-in as <email>`, `login required for direct mode`, or `unknown`. */
  loginText: string;
  email: string | null;
  /** Worker id in the pool while the page's agent is connected. */
  workerId: string | null;
  /** Jobs the page's agent is running. */
  activeJobs: number;
  url: string | null;
  reloads: number;
  restarts: number;
  lastProblem: string | null;
  /** The page's agent reports the site's Security Verification modal (a person has to pass it). */
  verification: boolean;
  /** The `browser_profiles` entry the page belongs to; absent for the single default profile. */
  profile?: string;
}

/** The browser host in /health. */
export interface BrowserHostSnapshot {
  state: 'stopped' | 'launching' | 'running' | 'relaunching' | 'failed' | 'stopping';
  headless: boolean;
  incognito: boolean;
  pid: number | null;
  /** Launches so far, the first included. */
  launches: number;
  lastProblem: string | null;
  pages: BrowserPageSnapshot[];
  /** With `browser_profiles`: one entry per profile, each its own Chromium. */
  profiles?: BrowserProfileSnapshot[];
}

/** One named profile of the browser fleet in /health. */
export interface BrowserProfileSnapshot {
  name: string;
  state: BrowserHostSnapshot['state'];
  pid: number | null;
  launches: number;
  lastProblem: string | null;
  /** Pages the profile's Chromium runs. */
  pages: number;
}

/** The bridge's own Chromium: one browser, N pages, each page one pool worker. */
export interface BrowserHost {
  /**
   * Launches Chromium, opens the pages and resolves once every page is through the challenge, has
   * `grecaptcha` and its agent joined the pool — or after `lifecycle.readyTimeoutMs`, with the late
   * pages still trying in the background. Rejects when Chromium cannot be started.
   */
  start(): Promise<void>;
  /**
   * Waits up to `graceMs` for the pages' running jobs, then closes the pages and the browser and
   * kills whatever is left of its process group. Idempotent.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Tokens the host's agents present in their hello (one per page, stable across restarts). */
  readonly pageTokens: readonly string[];
  /** The browser's process id while it runs (tests kill it to check crash recovery). */
  readonly pid: number | null;
  /**
   * Wraps the pool's registry so the host learns when its pages' agents join, leave and report page
   * state. Pass the result to the worker endpoint instead of the pool.
   */
  wrapRegistry(inner: WorkerRegistry): WorkerRegistry;
  /** Whether `worker` is one of the host's pages. */
  owns(worker: WorkerConnection): boolean;
  /**
   * Tells the host what the pool saw on one of its pages; reCAPTCHA rejections and expired auth
   * climb the recovery ladder (reload → page restart → browser relaunch), a login gate marks the
   * page `login required for direct mode`. Tokens of other workers are ignored.
   */
  reportTrouble(pageToken: string, kind: BrowserTrouble): void;
  /** A job on the page went through: its recovery ladder starts over. */
  reportSuccess(pageToken: string): void;
  /**
   * Feeds the pool's job outcome for any worker (others are ignored): `ok` resets the page's ladder;
   * the kinds of {@link BrowserTrouble} (`recaptcha-rejected`, `challenge`, `worker-lost`, and
   * `login-gate` / `auth-expired` should core report them) are reported as trouble.
   */
  observeOutcome(worker: WorkerConnection, outcome: { kind: string }): void;
  snapshot(): BrowserHostSnapshot;
}
