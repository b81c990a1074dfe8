import type { FakeArenaAccountFlag } from './account-flag-options.js';
import { DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS } from './account-flag-options.js';

/** A flagged account, as `accountFlags()` and `GET /__fake/account-flags` report it. */
export interface AccountFlagInfo {
  userId: string;
  /** Epoch milliseconds (fake clock) when the flag ends unless extended. */
  until: number;
  /** Stream requests refused while the flag was already up (not counting the one that raised it). */
  refusedDuringFlag: number;
}

/** How one stream request fared against the account flag. */
export type AccountFlagDecision =
  | { refused: false }
  | { refused: true; kind: 'tripped' | 'held'; retryAfterSeconds: number; status: 403 | 429 };

interface Flag {
  until: number;
  refusedDuringFlag: number;
  holdSeconds: number;
}

/**
 * Per-account flags of §15.4 and the sliding windows that trip them. Time comes from the fake's
 * injectable clock, so tests can move past a hold without waiting.
 */
export class AccountFlagStore {
  readonly #flags = new Map<string, Flag>();
  readonly #recent = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Flags an account for `seconds` from now (replacing any flag it has). */
  flag(userId: string, seconds: number, now = this.#now()): AccountFlagInfo {
    const flag: Flag = { until: now + seconds * 1000, refusedDuringFlag: 0, holdSeconds: seconds };
    this.#flags.set(userId, flag);
    this.#recent.delete(userId);
    return { userId, until: flag.until, refusedDuringFlag: 0 };
  }

  /** Lifts an account's flag and forgets its recent requests; false when it had none. */
  clear(userId: string): boolean {
    this.#recent.delete(userId);
    return this.#active(userId) !== undefined && this.#flags.delete(userId);
  }

  /** Whether the account is flagged now. */
  isFlagged(userId: string): boolean {
    return this.#active(userId) !== undefined;
  }

  /** Flags in force now. */
  list(): AccountFlagInfo[] {
    const now = this.#now();
    return [...this.#flags]
      .filter(([, flag]) => flag.until > now)
      .map(([userId, { until, refusedDuringFlag }]) => ({ userId, until, refusedDuringFlag }));
  }

  /**
   * Decides one stream request of `userId`: refused and extended while flagged; else `forced`
   * (the `account-flag` injection) or the `policy` window may flag the account on the spot.
   */
  admit(userId: string, policy: FakeArenaAccountFlag | undefined, forced: boolean): AccountFlagDecision {
    const now = this.#now();
    const status = policy?.status ?? 403;
    const current = this.#active(userId);
    if (current !== undefined) {
      const extension = policy?.extendSeconds ?? policy?.holdSeconds ?? current.holdSeconds;
      current.until = Math.max(current.until, now + extension * 1000);
      current.refusedDuringFlag += 1;
      return { refused: true, kind: 'held', retryAfterSeconds: secondsUntil(current.until, now), status };
    }
    if (!forced && policy === undefined) return { refused: false };
    if (!forced && policy !== undefined && !this.#countTrips(userId, policy, now)) return { refused: false };
    // One clock reading for the flag and its retry-after, so the header says the hold exactly.
    const flagged = this.flag(userId, policy?.holdSeconds ?? DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS, now);
    return { refused: true, kind: 'tripped', retryAfterSeconds: secondsUntil(flagged.until, now), status };
  }

  /** Forgets every flag and window (`reset()`). */
  clearAll(): void {
    this.#flags.clear();
    this.#recent.clear();
  }

  /** Records one request in the account's window; true when the window now holds `tripAfter`. */
  #countTrips(userId: string, policy: FakeArenaAccountFlag, now: number): boolean {
    const since = now - policy.withinSeconds * 1000;
    const recent = (this.#recent.get(userId) ?? []).filter((at) => at > since);
    recent.push(now);
    this.#recent.set(userId, recent);
    return recent.length >= policy.tripAfter;
  }

  #active(userId: string): Flag | undefined {
    const flag = this.#flags.get(userId);
    if (flag === undefined) return undefined;
    if (flag.until > this.#now()) return flag;
    this.#flags.delete(userId);
    return undefined;
  }
}

function secondsUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
