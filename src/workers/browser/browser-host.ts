import { randomBytes } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import type { WorkerConnection, WorkerRegistry } from '../types.js';
import { loadAgentBundle, renderInitScript } from '../userscript/render-userscript.js';
import {
  DEFAULT_LIFECYCLE,
  type BrowserHost,
  type BrowserHostOptions,
  type BrowserHostSnapshot,
  type BrowserTrouble,
  type LifecycleOptions,
} from './browser-host-options.js';
import { BrowserPage } from './browser-page.js';
import { launchChromium, type LaunchedChromium } from './launch-chromium.js';
import { pageTokenOf } from './page-token-of.js';

const TROUBLES: readonly string[] = ['recaptcha-rejected', 'auth-expired', 'login-gate', 'challenge', 'worker-lost'] satisfies BrowserTrouble[];

function isTrouble(kind: string): kind is BrowserTrouble {
  return TROUBLES.includes(kind);
}

/**
 * Creates the host; nothing runs until `start()`.
 *
 * @example
 * const host = createBrowserHost({ executablePath, profileDir: profileDirFor(config.dataDir), pages: 1,
 *   arenaUrl: config.arena.url, bridgeWsUrl, pairingSecret, agentVersion, logger, onProgress: print });
 * await registerWorkerEndpoint(app, { registry: host.wrapRegistry(pool), … });
 * await host.start();
 */
export function createBrowserHost(options: BrowserHostOptions): BrowserHost {
  const logger = options.logger.child({ component: 'browser-host' });
  const lifecycle: LifecycleOptions = { ...DEFAULT_LIFECYCLE, ...options.lifecycle };
  const now = options.now ?? Date.now;
  const headless = options.headless ?? true;
  const incognito = options.incognito === true || options.profileDir === undefined;
  const arenaUrl = options.arenaUrl.replace(/\/+$/, '');
  const progress = (step: string): void => options.onProgress?.(step);
  const tokens = Array.from({ length: Math.max(1, options.pages ?? 1) }, () => randomBytes(18).toString('base64url'));
  const pages = new Map<string, BrowserPage>();
  let state: BrowserHostSnapshot['state'] = 'stopped';
  let launched: LaunchedChromium | null = null;
  let launches = 0;
  let lastProblem: string | null = null;
  let pollTimer: NodeJS.Timeout | undefined;
  let relaunchTimer: NodeJS.Timeout | undefined;
  let relaunchAttempt = 0;
  let relaunching: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;
  // The pool, once wrapRegistry is called: pages hold their worker out of it while they recover.
  let pool: WorkerRegistry | null = null;

  const context = (): BrowserContext | null => (state === 'running' ? (launched?.context ?? null) : null);

  async function launch(): Promise<void> {
    state = 'launching';
    const profile = incognito ? 'incognito profile' : `profile ${options.profileDir}`;
    progress(`Launching Chromium (${options.executablePath}, ${headless ? 'headless' : 'headful'}, ${profile})`);
    const current = await launchChromium({
      executablePath: options.executablePath,
      headless,
      incognito,
      ...(options.profileDir === undefined ? {} : { profileDir: options.profileDir }),
      ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
    });
    launches += 1;
    if (stopping !== null) {
      await current.close();
      return;
    }
    launched = current;
    current.onDisconnected(() => onBrowserGone(current));
    logger.info('Chromium started', { pid: current.pid, headless, incognito, pages: tokens.length });
    const blank = current.context.pages();
    state = 'running';
    try {
      await Promise.all([...pages.values()].map((page) => page.open(current.context)));
    } catch (error) {
      // A relaunch would replace `launched`: this Chromium must not be left running behind it.
      launched = null;
      await current.close();
      throw error;
    }
    // The persistent context starts with an about:blank tab nobody uses.
    await Promise.all(blank.map((page) => page.close().catch(() => undefined)));
  }

  function onBrowserGone(which: LaunchedChromium): void {
    if (which !== launched || stopping !== null) return;
    launched = null;
    lastProblem = 'Chromium exited unexpectedly';
    logger.warn('Chromium exited unexpectedly; relaunching', { pid: which.pid });
    for (const page of pages.values()) page.browserDown();
    void relaunch();
  }

  function relaunch(previous?: LaunchedChromium): Promise<void> {
    if (relaunching !== null || stopping !== null) return relaunching ?? Promise.resolve();
    state = 'relaunching';
    relaunching = (async () => {
      if (previous !== undefined) {
        for (const page of pages.values()) page.browserDown();
        await previous.close();
      }
      while (stopping === null) {
        const delay = Math.min(lifecycle.relaunchMaxDelayMs, lifecycle.relaunchInitialDelayMs * 2 ** relaunchAttempt);
        await new Promise((resolve) => (relaunchTimer = setTimeout(resolve, delay)));
        if (stopping !== null) return;
        try {
          await launch();
          relaunchAttempt = 0;
          return;
        } catch (error) {
          relaunchAttempt += 1;
          state = 'relaunching';
          lastProblem = error instanceof Error ? error.message : String(error);
          logger.error('Relaunching Chromium failed', { attempt: relaunchAttempt, error: lastProblem });
        }
      }
    })().finally(() => {
      relaunching = null;
    });
    return relaunching;
  }

  function restartBrowser(reason: string): void {
    if (launched === null || relaunching !== null || stopping !== null) return;
    logger.warn('Relaunching Chromium', { reason });
    lastProblem = `relaunch: ${reason}`;
    const previous = launched;
    launched = null;
    void relaunch(previous);
  }

  for (const [index, pageToken] of tokens.entries()) {
    pages.set(pageToken, new BrowserPage({
      index,
      pageToken,
      arenaUrl,
      lifecycle,
      logger,
      now,
      progress,
      context,
      pageLost(page, reason) {
        if (stopping !== null || launched === null || state !== 'running') return;
        logger.warn('Browser page lost; reopening it', { reason });
        void page.restart(reason);
      },
      recovering: (worker, recovering) => pool?.recovering(worker, recovering),
      restartBrowser,
    }));
  }

  function find(worker: WorkerConnection): BrowserPage | undefined {
    const token = pageTokenOf(worker);
    return token === undefined ? undefined : pages.get(token);
  }

  async function waitUntilReady(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const ready = Promise.all([...pages.values()].map((page) => page.whenReady())).then(() => true);
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), lifecycle.readyTimeoutMs)));
    const allReady = await Promise.race([ready, late]);
    clearTimeout(timer);
    if (allReady) return;
    const waiting = [...pages.values()].map((page) => page.snapshot()).filter((page) => page.state !== 'ready');
    const list = waiting.map((page) => `page ${page.index + 1} (${page.state})`).join(', ');
    progress(`Not ready after ${Math.round(lifecycle.readyTimeoutMs / 1000)} s: ${list}; still trying in the background`);
    logger.warn('Browser pages not ready in time', { pages: list });
  }

  return {
    async start() {
      if (state !== 'stopped' || stopping !== null) return;
      const bundle = options.agentBundle ?? (await loadAgentBundle());
      for (const [pageToken, page] of pages) {
        const bridgeWsUrl = typeof options.bridgeWsUrl === 'string' ? options.bridgeWsUrl : options.bridgeWsUrl();
        const initScript = renderInitScript({ bundle, bridgeWsUrl, secret: options.pairingSecret, pageToken, agentVersion: options.agentVersion, arenaOrigins: [options.arenaUrl] });
        page.setInitScript(initScript);
      }
      try {
        await launch();
      } catch (error) {
        state = 'failed';
        lastProblem = error instanceof Error ? error.message : String(error);
        throw error;
      }
      pollTimer = setInterval(() => {
        for (const page of pages.values()) void page.poll();
      }, lifecycle.pollIntervalMs);
      pollTimer.unref();
      await waitUntilReady();
    },

    stop(stopOptions = {}) {
      stopping ??= (async () => {
        state = 'stopping';
        clearInterval(pollTimer);
        clearTimeout(relaunchTimer);
        const deadline = Date.now() + (stopOptions.graceMs ?? 0);
        while (Date.now() < deadline && [...pages.values()].some((page) => page.activeJobs > 0)) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await Promise.all([...pages.values()].map((page) => page.close()));
        await relaunching;
        const current = launched;
        launched = null;
        await current?.close();
        state = 'stopped';
        logger.info('Chromium stopped');
      })();
      return stopping;
    },

    get pageTokens() {
      return tokens;
    },

    get pid() {
      return launched?.pid ?? null;
    },

    wrapRegistry(inner) {
      pool = inner;
      return {
        add(worker) {
          inner.add(worker);
          find(worker)?.agentConnected(worker);
        },
        remove(worker) {
          find(worker)?.agentDisconnected(worker);
          inner.remove(worker);
        },
        pageChanged(worker) {
          inner.pageChanged(worker);
          find(worker)?.pageReported(worker);
          void find(worker)?.poll();
        },
        idsCaptured(worker, ids) {
          inner.idsCaptured(worker, ids);
        },
        recovering(worker, recovering) {
          inner.recovering(worker, recovering);
        },
      };
    },

    owns(worker) {
      return find(worker) !== undefined;
    },

    reportTrouble(pageToken, kind) {
      if (stopping !== null) return;
      const page = pages.get(pageToken);
      if (page === undefined) return;
      const action = page.reportTrouble(kind);
      logger.debug('Browser page trouble reported', { kind, action });
    },

    reportSuccess(pageToken) {
      pages.get(pageToken)?.reportSuccess();
    },

    observeOutcome(worker, outcome) {
      const token = pageTokenOf(worker);
      if (token === undefined || !pages.has(token)) return;
      if (outcome.kind === 'ok') this.reportSuccess(token);
      else if (isTrouble(outcome.kind)) this.reportTrouble(token, outcome.kind);
    },

    snapshot() {
      return {
        state,
        headless,
        incognito,
        pid: launched?.pid ?? null,
        launches,
        lastProblem,
        pages: [...pages.values()].map((page) => page.snapshot()),
      };
    },
  };
}
