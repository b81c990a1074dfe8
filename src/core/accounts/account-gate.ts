import { NoWorkerAvailableError, RateLimitError, type BridgeError } from '../errors/index.js';
import type { WorkerConnection } from '../../workers/types.js';
import { accountLabelOf, accountOf } from './account-key.js';
import type { AccountLedger } from './account-ledger.js';
import type { HoldReason } from './account-types.js';

/** Why no matching worker could be leased now. */
export type Blocked =
  /** Every matching worker's account is held: waiting cannot help before `until`. */
  | { kind: 'held'; holds: Array<{ account: string; until: number; reason: HoldReason }> }
  /** Every free matching worker waits for its account's pacing; the first frees at `readyAt`. */
  | { kind: 'paced'; readyAt: number }
  /** Busy, recovering or challenged workers may free up; `readyAt` when pacing frees one too. */
  | { kind: 'wait'; readyAt: number | undefined };

/**
 * Classifies the matching workers that could not be leased. `free` says whether a worker could take
 * a lease if its account allowed it (connected, under its cap, not held by the pool itself).
 */
export function blockedBy(ledger: AccountLedger, workers: readonly WorkerConnection[], free: (worker: WorkerConnection) => boolean): Blocked {
  const holds: Array<{ account: string; until: number; reason: HoldReason }> = [];
  let readyAt = Number.POSITIVE_INFINITY;
  let waitable = false;
  for (const worker of workers) {
    const account = accountOf(worker);
    const readiness = ledger.readiness(account);
    if (readiness.kind === 'held') holds.push({ account, until: readiness.until, reason: readiness.reason });
    else if (readiness.kind === 'paced' && free(worker)) readyAt = Math.min(readyAt, readiness.readyAt);
    else waitable = true;
  }
  const paced = Number.isFinite(readyAt) ? readyAt : undefined;
  if (waitable) return { kind: 'wait', readyAt: paced };
  if (paced !== undefined) return { kind: 'paced', readyAt: paced };
  if (holds.length > 0) return { kind: 'held', holds };
  return { kind: 'wait', readyAt: undefined };
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

/**
 * The error for a request whose every account is held: 503 `account_verification_required` (or
 * 429 `rate_limited` when each hold is a long rate limit), saying what a person can do.
 */
export function heldError(ledger: AccountLedger, holds: Blocked & { kind: 'held' }, now: number): BridgeError {
  const first = Math.min(...holds.holds.map((hold) => hold.until));
  const wait = secondsUntil(first, now);
  const accounts = [...new Set(holds.holds.map((hold) => hold.account))];
  const details = accounts.map((account) => ledger.describeHold(account)).filter((text) => text !== undefined).join(' ');
  const headers = { 'Retry-After': String(wait) };
  if (holds.holds.every((hold) => hold.reason === 'rate-limited')) {
    return new RateLimitError(`Every account that can take this request is rate-limited by LMArena. ${details} Retry after ${wait} s.`, { headers });
  }
  return new NoWorkerAvailableError(
    `Every account that can take this request is held by LMArena's security verification, so the bridge sends it nothing (more requests would extend the hold). ${details} Retry after ${wait} s, or connect workers signed in as other accounts.`,
    { code: 'account_verification_required', headers },
  );
}

/** The error for a request whose accounts' budgets free only after it would have stopped waiting. */
export function budgetError(readyAt: number, waitMs: number, now: number): BridgeError {
  const wait = secondsUntil(readyAt, now);
  return new RateLimitError(
    `Every account that can take this request has used its request budget (account_hourly_budget, account_min_interval_seconds, a spacing learned after a security hold, or the budget LMArena announced); the next one frees in ${wait} s, past this request's wait of ${Math.round(waitMs / 1000)} s. Retry after ${wait} s, or connect workers signed in as other accounts.`,
    { code: 'account_budget_exhausted', headers: { 'Retry-After': String(wait) } },
  );
}

/** A clause for the "all workers stayed busy" message when the worker's account is why. */
export function describeAccountBlock(ledger: AccountLedger, worker: WorkerConnection, now: number): string | undefined {
  const readiness = ledger.readiness(accountOf(worker));
  if (readiness.kind === 'held') return `${worker.id} held with its account ${accountLabelOf(worker)}`;
  if (readiness.kind === 'paced') return `${worker.id} paced (its account may send again in ${secondsUntil(readiness.readyAt, now)} s)`;
  return undefined;
}
