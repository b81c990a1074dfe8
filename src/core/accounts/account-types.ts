import type { RateLimitBudget } from '../../arena/index.js';

/** Why an account is held. */
export type HoldReason = 'verification' | 'rate-limited';

/** Where an account stands, as /health, metrics and the events feed show it. */
export type AccountState = 'serving' | 'held' | 'probing';

/** Whether a request may start on an account now. */
export type AccountReadiness =
  | { kind: 'ready' }
  /** No request until `until` (then one probe). */
  | { kind: 'held'; until: number; reason: HoldReason }
  /** The hold ended and its one probe is in flight: wait for its verdict. */
  | { kind: 'probe-busy' }
  /** Pacing: the account's next request may start at `readyAt`. */
  | { kind: 'paced'; readyAt: number };

/** What happened to a request of an account, as far as holds and pacing care. */
export type AccountOutcome =
  /** The site answered (first output): not flagged. */
  | { kind: 'served' }
  /** A clean, complete answer: pacing may relax. */
  | { kind: 'completed' }
  /** The site refused the reCAPTCHA token (403), with its `retry-after` when it sent one. */
  | { kind: 'recaptcha-rejected'; retryAfterSeconds?: number }
  /** A 429 with a `retry-after` long enough to hold the account. */
  | { kind: 'rate-limited'; retryAfterSeconds: number };

/** What is kept across restarts, per account. */
export interface PersistedAccount {
  account: string;
  label: string;
  /** Epoch ms; null when not held. */
  holdUntil: number | null;
  holdReason: HoldReason | null;
  /** The hold ended and no probe has answered yet. */
  probing: boolean;
  /** Spacing learned when it tripped; 0 when none. */
  learnedSpacingMs: number;
  updatedAt: number;
}

/** Where account state is persisted (the data directory's database, or nothing). */
export interface AccountStateStore {
  load(): PersistedAccount[];
  save(account: PersistedAccount): void;
  remove(account: string): void;
}

/** One account in /health. */
export interface AccountSnapshot {
  account: string;
  label: string;
  state: AccountState;
  /** Epoch ms when the hold ends, while held. */
  until: number | null;
  reason: HoldReason | null;
  /** What a person can do, while held. */
  action: string | null;
  /** Current spacing between two requests, fixed or learned, in ms. */
  spacingMs: number;
  /** Requests started in the last hour. */
  startedLastHour: number;
  /** The hourly budget; null when there is none. */
  hourlyBudget: number | null;
  /** The budget the site announced in its rate-limit headers, when it did. */
  siteBudget: RateLimitBudget | null;
}

/** Pacing settings (config `account_*`). */
export interface AccountPacingOptions {
  /** Fixed spacing between two requests of one account. @default 0 */
  minIntervalMs: number;
  /** Requests per rolling hour; 0 = none. @default 0 */
  hourlyBudget: number;
  /** Learn a spacing when an account trips. @default true */
  adaptive: boolean;
}
