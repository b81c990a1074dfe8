import type { BrowserContext, Page } from 'playwright-core';
import type { WorkerConnection } from '../types.js';
import type { BrowserPageSnapshot, BrowserPageState, BrowserTrouble } from './browser-host-options.js';
import type { BrowserPageDependencies } from './browser-page-dependencies.js';
import { clickTurnstile } from './click-turnstile.js';
import { PageLogin } from './page-login.js';
import { emailOf, phaseOf, probePage, type ProbePhase } from './page-probe.js';
import { nextPageStep } from './page-step.js';
import { RecoveryLadder, type RecoveryAction } from './recovery-ladder.js';

const NAVIGATION_TIMEOUT_MS = 45_000;
/** How long recovery waits for answers still running on the page before it reloads anyway. */
const DRAIN_TIMEOUT_MS = 20_000;
const DRAIN_POLL_MS = 100;

/**
 * One automated worker: a Chromium page on the arena running the injected agent. Owns the page's
 * lifecycle only — challenge wait, readiness, refresh, reload/restart — never arena work.
 */
export class BrowserPage {
  readonly #deps: BrowserPageDependencies;
  readonly #ladder: RecoveryLadder;
  #initScript = '';
  #page: Page | null = null;
  #state: BrowserPageState = 'opening';
  #phase: ProbePhase | null = null;
  #phaseSince = 0;
  #loadedAt = 0;
  #lastClickAt = 0;
  #seenEntries = -1;
  readonly #login = new PageLogin();
  #worker: WorkerConnection | null = null;
  #operation: Promise<void> | null = null;
  #polling = false;
  #reloads = 0;
  #restarts = 0;
  #lastProblem: string | null = null;
  #readyWaiters: (() => void)[] = [];
  #verification = false;

  constructor(deps: BrowserPageDependencies) {
    this.#deps = deps;
    this.#ladder = new RecoveryLadder(deps.lifecycle);
  }

  get pageToken(): string {
    return this.#deps.pageToken;
  }

  get state(): BrowserPageState {
    return this.#state;
  }

  /** Jobs the page's agent is running now. */
  get activeJobs(): number {
    return this.#worker?.activeJobs ?? 0;
  }

  /** The agent rendered for this page's token; injected into every page {@link open} creates. */
  setInitScript(script: string): void {
    this.#initScript = script;
  }

  /** Resolves the next time the page is ready (at once if it is). */
  whenReady(): Promise<void> {
    if (this.#state === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Opens a fresh page in `context`: agent injected before the first navigation, then the arena. */
  async open(context: BrowserContext): Promise<void> {
    this.#setState('opening');
    const page = await context.newPage();
    this.#page = page;
    await page.addInitScript({ content: this.#initScript });
    page.on('crash', () => this.#lost(page, 'the page crashed'));
    page.on('close', () => this.#lost(page, 'the page was closed'));
    this.#progress(`opening ${this.#deps.arenaUrl}`);
    await this.#navigate(() => page.goto(`${this.#deps.arenaUrl}/`, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS }));
  }

  /** One look at the page; called on the host's timer. Never overlaps a reload or restart. */
  async poll(): Promise<void> {
    const page = this.#page;
    if (page === null || this.#operation !== null || this.#polling || this.#state === 'stopped' || this.#state === 'browser-down') return;
    this.#polling = true;
    try {
      const probe = await probePage(page, this.#seenEntries);
      if (page !== this.#page || this.#operation !== null) return;
      this.#seenEntries = probe.flightEntries;
      if (this.#login.read(emailOf(probe))) this.#deps.logger.info('Browser page login state', { page: this.#deps.index + 1, login: this.#login.text });
      await this.#advance(page, phaseOf(probe), probe.turnstile);
    } catch {
      // Navigating pages refuse evaluation ("Execution context was destroyed"); the next poll retries.
    } finally {
      this.#polling = false;
    }
  }

  async #advance(page: Page, phase: ProbePhase, turnstile: boolean): Promise<void> {
    const now = this.#deps.now();
    if (phase !== this.#phase) {
      this.#phase = phase;
      this.#phaseSince = now;
      if (phase === 'challenge') this.#progress('waiting for the Cloudflare challenge');
      if (phase === 'waiting-for-recaptcha') this.#progress('waiting for reCAPTCHA');
    }
    const step = nextPageStep({
      phase,
      turnstile,
      stuckForMs: now - this.#phaseSince,
      sinceLastClickMs: now - this.#lastClickAt,
      sinceLoadMs: now - this.#loadedAt,
      agentConnected: this.#worker !== null,
      activeJobs: this.activeJobs,
      lifecycle: this.#deps.lifecycle,
    });
    if (step.state === 'waiting-for-agent' && this.#state !== 'waiting-for-agent') this.#progress('waiting for the agent to connect');
    this.#setState(step.state);
    if (step.clickTurnstile) {
      this.#lastClickAt = now;
      if (await clickTurnstile(page)) this.#progress('clicked the Turnstile checkbox');
    }
    if (step.stuck !== null) this.#recover(this.#ladder.climb(), step.stuck);
    if (step.refresh) void this.#withoutNewJobs(() => this.reload('periodic refresh'));
  }

  /** The page's agent joined the pool. */
  agentConnected(worker: WorkerConnection): void {
    this.#worker = worker;
    this.pageReported(worker);
    void this.poll();
  }

  /** The page's agent reported new page state; the Security Verification modal gets a line on the terminal. */
  pageReported(worker: WorkerConnection): void {
    if (this.#worker !== worker || (worker.page.verification === true) === this.#verification) return;
    this.#verification = !this.#verification;
    this.#progress(this.#verification ? 'the site shows its Security Verification check; pass it by hand in a visible window (browser_headful, --headful)' : 'Security Verification passed');
  }

  /** The page's agent left the pool (reload, crash, bridge restart). */
  agentDisconnected(worker: WorkerConnection): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    if (this.#state === 'ready') this.#setState('waiting-for-agent');
  }

  /** Feeds a trouble the pool saw into the recovery ladder; returns what was done. */
  reportTrouble(kind: BrowserTrouble): RecoveryAction {
    if (kind === 'login-gate') {
      const gate = this.#login.gate();
      kind = gate.trouble;
      if (gate.firstTime) this.#deps.logger.warn('Direct mode needs a signed-in browser', { page: this.#deps.index + 1, login: this.#login.text });
    }
    // §15.4: no reload or relaunch lifts the account flag; they would only drop the modal a person may be solving.
    if (kind === 'recaptcha-rejected' && this.#verification) return 'none';
    if (kind === 'worker-lost' && this.#page?.isClosed() === true) {
      this.#deps.pageLost(this, 'the page is gone');
      return 'none';
    }
    const action = this.#ladder.trouble(kind);
    this.#recover(action, kind);
    return action;
  }

  /** A job went through: the ladder starts again from the bottom. */
  reportSuccess(): void {
    this.#ladder.reset();
  }

  /**
   * One failing request must not cut off answers still streaming on the same page: recovery waits
   * (at most DRAIN_TIMEOUT_MS) until the page has no running jobs, and the pool gives the page no
   * new ones meanwhile.
   */
  #recover(action: RecoveryAction, reason: string): void {
    if (action === 'none') return;
    void this.#withoutNewJobs(async () => {
      const until = Date.now() + DRAIN_TIMEOUT_MS;
      while (this.activeJobs > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      if (action === 'reload') await this.reload(reason);
      else if (action === 'restart-page') await this.restart(reason);
      else this.#deps.restartBrowser(`page ${this.#deps.index + 1}: ${reason}`);
    });
  }

  /**
   * Holds the page's current worker out of the pool while `recover` runs. The hold is lifted only
   * when nothing replaced the connection (no reload or restart happened, the browser is still up):
   * otherwise that connection is on its way out and must not take a job in its last moments.
   */
  async #withoutNewJobs(recover: () => Promise<void>): Promise<void> {
    const worker = this.#worker;
    if (worker === null) return recover();
    const operations = this.#reloads + this.#restarts;
    this.#deps.recovering(worker, true);
    try {
      await recover();
    } finally {
      if (this.#worker === worker && this.#reloads + this.#restarts === operations) this.#deps.recovering(worker, false);
    }
  }

  /** Reloads the page (the agent reconnects after the load). */
  reload(reason: string): Promise<void> {
    return this.#exclusive(async () => {
      const page = this.#page;
      if (page === null) return;
      this.#reloads += 1;
      this.#problem(`reloading: ${reason}`);
      this.#setState('reloading');
      await this.#navigate(() => page.reload({ waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS }));
    });
  }

  /** Closes the page and opens a new one in the current context. */
  restart(reason: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#restarts += 1;
      this.#problem(`restarting: ${reason}`);
      this.#setState('restarting');
      await this.#closePage();
      const context = this.#deps.context();
      if (context === null) {
        this.#setState('browser-down');
        return;
      }
      await this.open(context).catch((error: unknown) => this.#problem(`reopening failed: ${String(error)}`));
    });
  }

  /** The browser went away: forget the page; {@link open} is called after the relaunch. */
  browserDown(): void {
    this.#page = null;
    this.#worker = null;
    this.#setState('browser-down');
  }

  /** Closes the page for good. */
  async close(): Promise<void> {
    this.#setState('stopped');
    await this.#closePage();
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  snapshot(): BrowserPageSnapshot {
    return {
      index: this.#deps.index,
      state: this.#state,
      login: this.#login.state,
      loginText: this.#login.text,
      email: this.#login.email,
      workerId: this.#worker?.id ?? null,
      activeJobs: this.activeJobs,
      url: this.#page?.isClosed() === false ? this.#page.url() : null,
      reloads: this.#reloads,
      restarts: this.#restarts,
      lastProblem: this.#lastProblem,
      verification: this.#verification,
    };
  }

  async #navigate(go: () => Promise<unknown>): Promise<void> {
    this.#phase = null;
    this.#seenEntries = -1;
    try {
      await go();
    } catch (error) {
      // A failed load shows Chromium's error page; the stuck-page timeout climbs the ladder from there.
      this.#problem(`navigation failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    this.#loadedAt = this.#deps.now();
    if (this.#state !== 'stopped') this.#setState('loading');
  }

  async #closePage(): Promise<void> {
    const page = this.#page;
    this.#page = null;
    this.#worker = null;
    if (page !== null && !page.isClosed()) await page.close().catch(() => undefined);
  }

  #lost(page: Page, reason: string): void {
    if (page !== this.#page || this.#state === 'stopped') return;
    this.#page = null;
    this.#deps.pageLost(this, reason);
  }

  #exclusive(operation: () => Promise<void>): Promise<void> {
    if (this.#operation !== null || this.#state === 'stopped') return this.#operation ?? Promise.resolve();
    const running = operation().finally(() => {
      this.#operation = null;
    });
    this.#operation = running;
    return running;
  }

  #setState(state: BrowserPageState): void {
    if (this.#state === 'stopped' && state !== 'stopped') return;
    const previous = this.#state;
    this.#state = state;
    if (state !== 'ready' || previous === 'ready') return;
    this.#progress(`ready (${this.#login.text})`);
    this.#deps.logger.info('Browser page ready', { page: this.#deps.index + 1, login: this.#login.text });
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  #problem(text: string): void {
    this.#lastProblem = text;
    this.#deps.logger.warn('Browser page trouble', { page: this.#deps.index + 1, problem: text });
  }

  #progress(step: string): void {
    this.#deps.progress(`Page ${this.#deps.index + 1}: ${step}`);
  }
}
