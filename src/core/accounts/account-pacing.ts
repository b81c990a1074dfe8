import type { RateLimitBudget } from '../../arena/index.js';

/** An hour in ms: the hourly budget's rolling window and how long start times are kept. */
export const HOUR_MS = 3_600_000;

/** Bounds of a learned spacing: §15.4 saw ~3 requests ~20 s apart trip the flag. */
const MIN_LEARNED_MS = 15_000;
const MAX_LEARNED_MS = 10 * 60_000;
/** Learned when the trip gives no interval to learn from (a single request). */
const FALLBACK_LEARNED_MS = 60_000;
/** Each clean answer shortens a learned spacing by this factor; below a second it is dropped. */
const RELAX_FACTOR = 0.9;

/** The site's announced budget, and when it was seen. */
export interface ObservedBudget {
  budget: RateLimitBudget;
  at: number;
}

/** What decides when an account's next request may start. */
export interface PacingInput {
  /** Start times of its requests in the last hour, oldest first. */
  starts: readonly number[];
  /** Spacing counts only from starts after this time (a hold that ended was pause enough). */
  spacingFrom: number;
  minIntervalMs: number;
  learnedSpacingMs: number;
  /** 0 = none. */
  hourlyBudget: number;
  site: ObservedBudget | undefined;
}

/** Drops start times older than an hour (in place); they no longer count for anything. */
export function pruneStarts(starts: number[], now: number): void {
  let drop = 0;
  while (drop < starts.length && (starts[drop] ?? 0) <= now - HOUR_MS) drop += 1;
  if (drop > 0) starts.splice(0, drop);
}

/**
 * The earliest time the account's next request may start: its spacing after the last start, its
 * hourly budget, and the site's own budget (a spent window, or `remaining=0` until the reset).
 * A time at or before now means "now".
 */
export function nextStartAt(input: PacingInput): number {
  const { starts } = input;
  let at = 0;
  const last = starts.at(-1);
  const spacing = Math.max(input.minIntervalMs, input.learnedSpacingMs);
  if (last !== undefined && last >= input.spacingFrom && spacing > 0) at = last + spacing;
  if (input.hourlyBudget > 0 && starts.length >= input.hourlyBudget) {
    at = Math.max(at, (starts[starts.length - input.hourlyBudget] ?? 0) + HOUR_MS);
  }
  const site = input.site;
  if (site !== undefined) {
    const { limit, windowSeconds, remaining, resetSeconds } = site.budget;
    if (remaining === 0 && resetSeconds !== undefined) at = Math.max(at, site.at + resetSeconds * 1000);
    if (windowSeconds !== undefined && limit > 0 && starts.length >= limit) {
      const windowStart = starts[starts.length - limit] ?? 0;
      if (windowStart > site.at - windowSeconds * 1000) at = Math.max(at, windowStart + windowSeconds * 1000);
    }
  }
  return at;
}

/**
 * The spacing to keep after an account tripped the site's flag: twice the mean gap of its last few
 * requests before the trip (it was sending that fast), within 15 s – 10 min.
 */
export function learnSpacing(starts: readonly number[], now: number, current: number): number {
  const recent = starts.filter((start) => start > now - 15 * 60_000).slice(-4);
  let learned = FALLBACK_LEARNED_MS;
  if (recent.length >= 2) {
    const first = recent[0] ?? now;
    const last = recent.at(-1) ?? now;
    learned = (2 * (last - first)) / (recent.length - 1);
  }
  return Math.max(current, Math.min(MAX_LEARNED_MS, Math.max(MIN_LEARNED_MS, Math.round(learned))));
}

/** A learned spacing after one more clean answer. */
export function relaxSpacing(spacingMs: number): number {
  const next = Math.floor(spacingMs * RELAX_FACTOR);
  return next < 1000 ? 0 : next;
}
