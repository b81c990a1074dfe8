/**
 * Everything the agent needs from the place it runs. The browser builds this from `window`
 * (browser-environment.ts); tests build it in Node with a real WebSocket, a real fetch and fakes for
 * the page, so the agent's own job code is what integration tests exercise.
 */
import type { AgentSettings } from '../../src/shared/agent-settings.js';
import type { PageState } from '../../src/shared/worker-protocol.js';

/** The part of a `grecaptcha` (or `grecaptcha.enterprise`) object the agent calls. */
export interface RecaptchaClient {
  ready?: (callback: () => void) => void;
  /** v3: `execute(siteKey, {action})` resolves a token; v2: `execute(widgetId)` fires the render callback. */
  execute?: (keyOrWidget: string | number, options?: { action: string }) => unknown;
  render?: (container: unknown, parameters: RecaptchaRenderParameters) => unknown;
}

/** Parameters of `grecaptcha.enterprise.render` for the invisible v2 widget. */
export interface RecaptchaRenderParameters {
  sitekey: string;
  size: 'invisible';
  callback: (token: unknown) => void;
  'error-callback': () => void;
  'expired-callback': () => void;
}

/** `window.grecaptcha`: the plain API, with `enterprise` when enterprise.js is loaded. */
export interface RecaptchaApi extends RecaptchaClient {
  enterprise?: RecaptchaClient;
}

/** An element the v2 widget renders into; removed after the token arrives. */
export interface RecaptchaContainer {
  element: unknown;
  remove(): void;
}

/** Opaque timer handle (a number in browsers, an object in Node). */
export type TimerHandle = unknown;

/** Injectable clock and timers. */
export interface AgentTimers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, delayMs: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
  now(): number;
}

/** Structured logger; the browser's writes to the console. */
export interface AgentLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Delays and limits; tests shorten them. */
export interface AgentTimings {
  /** First reconnect delay, doubled after every failed attempt. @default 1000 */
  reconnectInitialMs: number;
  /** @default 30000 */
  reconnectMaxMs: number;
  /** How often page state is polled for changes. @default 1500 */
  pageStatePollMs: number;
  /** Close and reconnect when no `hello-ack` arrives within this. @default 10000 */
  helloAckTimeoutMs: number;
  /** How long to wait for `grecaptcha` to appear before `recaptcha-unavailable`. @default 10000 */
  recaptchaLoadTimeoutMs: number;
  /** How long an invisible v2 widget may take (a human may have to solve it). @default 90000 */
  recaptchaV2TimeoutMs: number;
}

/** Defaults for {@link AgentTimings}. */
export const DEFAULT_AGENT_TIMINGS: AgentTimings = Object.freeze({
  reconnectInitialMs: 1000,
  reconnectMaxMs: 30_000,
  pageStatePollMs: 1500,
  helloAckTimeoutMs: 10_000,
  recaptchaLoadTimeoutMs: 10_000,
  recaptchaV2TimeoutMs: 90_000,
});

/** What {@link createAgent} is given. */
export interface AgentEnvironment {
  settings: AgentSettings;
  /** The WebSocket constructor (the page's, or Node's global one). */
  WebSocket: typeof WebSocket;
  /** The page's original fetch (not the capture wrapper), so the agent's requests are never captured. */
  fetch: typeof fetch;
  /** Current page state; called often, so it must be cheap. */
  getPageState(): PageState;
  /** The page's address alone, read on every job (cheaper than {@link getPageState}). @default from getPageState */
  pageLocation?(): { url: string; origin: string };
  /** `window.grecaptcha` when loaded. */
  getRecaptcha(): RecaptchaApi | undefined;
  /** Injects enterprise.js from the host the page itself used, when grecaptcha is late. */
  loadRecaptcha?(): void;
  /** Creates an invisible container for the v2 widget; without it v2 jobs fail. */
  createRecaptchaContainer?(): RecaptchaContainer;
  reloadPage(): void;
  /** Shows a status prefix (`✅ `, `⏳ `, `❌ `, `🎯 `, `⚠️ ` or `''`) before the site's own title. */
  setTitlePrefix(prefix: string): void;
  /**
   * Calls `listener` on load/visibility changes, and when the Security Verification modal appears
   * or goes away, so page state is re-read at once.
   */
  subscribePageChanges?(listener: () => void): () => void;
  /** Calls `listener` with the URL of every fetch the page itself makes (capture). */
  subscribePageRequests?(listener: (url: string) => void): () => void;
  timers: AgentTimers;
  logger: AgentLogger;
  /** Jitter source. @default Math.random */
  random?: () => number;
  timings?: Partial<AgentTimings>;
}
