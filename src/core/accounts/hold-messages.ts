import type { HoldReason } from './account-types.js';

/** Whole minutes (at least one) until `until`. */
export function minutesUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 60_000));
}

/** What a person can do about a hold, in one sentence. */
export function holdAction(label: string, reason: HoldReason, until: number, now: number): string {
  const minutes = minutesUntil(until, now);
  if (reason === 'rate-limited') {
    return `Wait ${minutes} min for LMArena's rate limit on ${label} to end, or connect workers signed in as other accounts.`;
  }
  return (
    `Open the arena window of ${label} (the userscript's browser tab, or \`lmarena-bridge login --account <profile>\` ` +
    `for a profile of the bridge's own browser) and pass the "Security Verification" check, or wait ${minutes} min.`
  );
}

/** Why the account is held, in words. */
export function holdCause(reason: HoldReason): string {
  return reason === 'rate-limited'
    ? 'LMArena rate-limited it with a long retry-after'
    : 'LMArena flagged it for "Security Verification" and refuses its requests whatever token is sent';
}
