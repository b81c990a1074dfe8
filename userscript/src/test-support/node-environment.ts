/**
 * An AgentEnvironment for Node: Node's own WebSocket and fetch, real timers, and a fake page whose
 * state, grecaptcha and title the test controls and inspects.
 */
import type { PageState } from '../../../src/shared/worker-protocol.js';
import type { AgentEnvironment, AgentTimings, RecaptchaApi, RecaptchaContainer } from '../agent-environment.js';

/** The fake page behind a test environment. */
export interface FakePage {
  state: PageState;
  recaptcha: RecaptchaApi | undefined;
  /** Every prefix the agent asked for, in order. */
  readonly titlePrefixes: string[];
  readonly warnings: { message: string; fields?: Record<string, unknown> }[];
  reloads: number;
  loadRecaptchaCalls: number;
  /** Containers created for v2 widgets and whether each was removed. */
  readonly containers: { element: { id: number }; removed: boolean }[];
  /** Simulates a fetch made by the site itself (capture). */
  pageRequest(url: string): void;
  /** Simulates a load/visibility event. */
  pageChanged(): void;
}

/** Fast timings so reconnects and timeouts happen within a test. */
export const TEST_TIMINGS: Partial<AgentTimings> = {
  reconnectInitialMs: 50,
  reconnectMaxMs: 200,
  pageStatePollMs: 50,
  helloAckTimeoutMs: 2000,
  recaptchaLoadTimeoutMs: 600,
  recaptchaV2TimeoutMs: 1000,
};

/** A page state for a signed-in arena page served from `origin`. */
export function makePageState(origin: string, overrides: Partial<PageState> = {}): PageState {
  return {
    url: `${origin}/text/direct`,
    origin,
    title: 'LMArena',
    challenge: false,
    recaptchaReady: true,
    siteKey: 'site-key-v3',
    auth: 'signed-in',
    email: 'user@example.com',
    identity: 'user-1',
    ...overrides,
  };
}

/** Builds the environment and the fake page it reads. */
export function createNodeEnvironment(options: {
  bridgeUrl: string;
  origin?: string;
  pageToken?: string;
  timings?: Partial<AgentTimings>;
  onLoadRecaptcha?: (page: FakePage) => void;
}): { environment: AgentEnvironment; page: FakePage } {
  const pageListeners = new Set<(url: string) => void>();
  const changeListeners = new Set<() => void>();
  const page: FakePage = {
    state: makePageState(options.origin ?? 'http://127.0.0.1:1'),
    recaptcha: undefined,
    titlePrefixes: [],
    warnings: [],
    reloads: 0,
    loadRecaptchaCalls: 0,
    containers: [],
    pageRequest: (url) => pageListeners.forEach((listener) => listener(url)),
    pageChanged: () => changeListeners.forEach((listener) => listener()),
  };
  const environment: AgentEnvironment = {
    settings: {
      bridgeUrl: options.bridgeUrl,
      secret: 'test-secret',
      host: 'browser',
      agentVersion: '0.0.0-test',
      arenaOrigins: [page.state.origin],
      ...(options.pageToken === undefined ? {} : { pageToken: options.pageToken }),
    },
    WebSocket: globalThis.WebSocket,
    fetch: globalThis.fetch,
    getPageState: () => ({ ...page.state }),
    pageLocation: () => ({ url: page.state.url, origin: page.state.origin }),
    getRecaptcha: () => page.recaptcha,
    loadRecaptcha: () => {
      page.loadRecaptchaCalls += 1;
      options.onLoadRecaptcha?.(page);
    },
    createRecaptchaContainer: (): RecaptchaContainer => {
      const entry = { element: { id: page.containers.length }, removed: false };
      page.containers.push(entry);
      return { element: entry.element, remove: () => void (entry.removed = true) };
    },
    reloadPage: () => void (page.reloads += 1),
    setTitlePrefix: (prefix) => void page.titlePrefixes.push(prefix),
    subscribePageChanges: (listener) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    subscribePageRequests: (listener) => {
      pageListeners.add(listener);
      return () => pageListeners.delete(listener);
    },
    timers: {
      setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      setInterval: (callback, delayMs) => setInterval(callback, delayMs),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
      now: () => Date.now(),
    },
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => void page.warnings.push(fields === undefined ? { message } : { message, fields }),
      error: (message, fields) => void page.warnings.push(fields === undefined ? { message } : { message, fields }),
    },
    timings: { ...TEST_TIMINGS, ...options.timings },
  };
  return { environment, page };
}
