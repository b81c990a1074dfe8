import { describe, expect, it } from 'vitest';
import { nextPageStep, TURNSTILE_CLICK_GAP_MS, type PageStepInput } from './page-step.js';

const base: PageStepInput = {
  phase: 'loaded',
  turnstile: false,
  stuckForMs: 0,
  sinceLastClickMs: Number.POSITIVE_INFINITY,
  sinceLoadMs: 0,
  agentConnected: true,
  activeJobs: 0,
  lifecycle: { challengeTimeoutMs: 60_000, recaptchaTimeoutMs: 30_000, refreshIntervalMs: 1_800_000 },
};

describe('nextPageStep', () => {
  it('waits out a challenge, clicking its checkbox at most every few seconds, and calls it stuck after the timeout', () => {
    const challenge = { ...base, phase: 'challenge' as const, turnstile: true };
    expect(nextPageStep(challenge)).toEqual({ state: 'challenge', clickTurnstile: true, stuck: null, refresh: false });
    expect(nextPageStep({ ...challenge, sinceLastClickMs: TURNSTILE_CLICK_GAP_MS }).clickTurnstile).toBe(false);
    expect(nextPageStep({ ...challenge, turnstile: false }).clickTurnstile).toBe(false);
    expect(nextPageStep({ ...challenge, stuckForMs: 60_001 }).stuck).toBe('challenge still showing after 60001 ms');
  });

  it('waits for reCAPTCHA, then for the agent, before the page is ready', () => {
    expect(nextPageStep({ ...base, phase: 'waiting-for-recaptcha' })).toMatchObject({ state: 'waiting-for-recaptcha', stuck: null });
    expect(nextPageStep({ ...base, phase: 'loading', stuckForMs: 30_001 }).stuck).toBe('page not usable after 30001 ms (loading)');
    expect(nextPageStep({ ...base, agentConnected: false })).toMatchObject({ state: 'waiting-for-agent', stuck: null, refresh: false });
    expect(nextPageStep(base)).toEqual({ state: 'ready', clickTurnstile: false, stuck: null, refresh: false });
  });

  it('refreshes a ready page once the interval passed, only while nothing runs on it, and never when refresh is off', () => {
    const due = { ...base, sinceLoadMs: 1_800_001 };
    expect(nextPageStep(due).refresh).toBe(true);
    expect(nextPageStep({ ...due, activeJobs: 1 }).refresh).toBe(false);
    expect(nextPageStep({ ...due, lifecycle: { ...due.lifecycle, refreshIntervalMs: 0 } }).refresh).toBe(false);
  });
});
