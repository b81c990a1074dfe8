import type { BrowserPageState, LifecycleOptions } from './browser-host-options.js';
import type { ProbePhase } from './page-probe.js';

/** Least time between two clicks on a Turnstile checkbox. */
export const TURNSTILE_CLICK_GAP_MS = 3000;

/** What a page looks like at one poll. */
export interface PageStepInput {
  phase: ProbePhase;
  /** A Turnstile checkbox is on the challenge page. */
  turnstile: boolean;
  /** How long the page has been in this phase. */
  stuckForMs: number;
  sinceLastClickMs: number;
  sinceLoadMs: number;
  agentConnected: boolean;
  activeJobs: number;
  lifecycle: Pick<LifecycleOptions, 'challengeTimeoutMs' | 'recaptchaTimeoutMs' | 'refreshIntervalMs'>;
}

/** What to do about it. */
export interface PageStep {
  state: BrowserPageState;
  clickTurnstile: boolean;
  /** Why the page counts as stuck (climb the recovery ladder), if it does. */
  stuck: string | null;
  /** The periodic refresh is due and nothing is running. */
  refresh: boolean;
}

/**
 * One step of a page's lifecycle, decided from what the poll saw: wait out a challenge (clicking
 * its checkbox now and then), wait for reCAPTCHA and for the agent, call a page stuck after the
 * configured time, refresh an idle page periodically.
 */
export function nextPageStep(input: PageStepInput): PageStep {
  const { phase, stuckForMs, lifecycle } = input;
  const step: PageStep = { state: 'ready', clickTurnstile: false, stuck: null, refresh: false };
  if (phase === 'challenge') {
    step.state = 'challenge';
    step.clickTurnstile = input.turnstile && input.sinceLastClickMs > TURNSTILE_CLICK_GAP_MS;
    if (stuckForMs > lifecycle.challengeTimeoutMs) step.stuck = `challenge still showing after ${stuckForMs} ms`;
    return step;
  }
  if (phase !== 'loaded') {
    step.state = phase;
    if (stuckForMs > lifecycle.recaptchaTimeoutMs) step.stuck = `page not usable after ${stuckForMs} ms (${phase})`;
    return step;
  }
  if (!input.agentConnected) {
    step.state = 'waiting-for-agent';
    return step;
  }
  const refresh = lifecycle.refreshIntervalMs;
  step.refresh = refresh > 0 && input.sinceLoadMs > refresh && input.activeJobs === 0;
  return step;
}
