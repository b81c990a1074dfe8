import type { RateLimitBudget } from '../../arena/index.js';
import type { BridgeEvents } from '../../observability/bridge-events.js';
import type { Logger } from '../../observability/logger.js';
import type { AccountLedger } from '../accounts/account-ledger.js';
import type { AccountSnapshot } from '../accounts/account-types.js';
import type { WorkerConnection, WorkerRegistry, WorkerSnapshot } from '../../workers/types.js';
import type { WorkerHold } from './pool-entry.js';

/* The worker pool's public types; the implementation is in worker-pool.ts. */

/** Options of `createWorkerPool`. */
export interface WorkerPoolOptions {
  logger: Logger;
  /**
   * A cap on the requests any one worker runs at once, on top of what the worker itself reports
   * (its `maxConcurrency`, which follows its page's protocol). @default no cap beyond the worker's
   */
  maxConcurrencyPerWorker?: number;
  /** Requests that may wait for a busy pool before new ones get `queue_full`. @default 64 */
  queueLimit?: number;
  /** How long a request waits for a worker before `no_worker_available`. @default 30000 */
  queueTimeoutMs?: number;
  /** Told to the user when no worker is connected: how to connect one. */
  connectHint: string | (() => string);
  /** Clock for cool-downs. @default Date.now */
  now?: () => number;
  /** Per-account holds and pacing; without it every worker is its own unlimited account. */
  accounts?: AccountLedger;
  /** Where worker and challenge transitions are announced. */
  events?: BridgeEvents;
}

/** A worker reserved for one request; `release()` (idempotent) gives it back. */
export interface WorkerLease {
  readonly worker: WorkerConnection;
  release(): void;
}

/** What {@link WorkerPool.acquire} may pick. */
export interface AcquireOptions {
  /** Aborting leaves the queue with a ClientAbortError. */
  signal: AbortSignal;
  /** Only workers for which this returns true (e.g. signed in, same identity). */
  filter?: (worker: WorkerConnection) => boolean;
  /** Ids of workers already tried for this request. */
  exclude?: ReadonlySet<string>;
  /**
   * The lease sends a stream request (an answer), which account holds and pacing govern. `false`
   * for page loads, server actions and uploads: the site's flag is on answers (§15.4), so these
   * neither wait for an account nor count against its budget. @default true
   */
  streamRequest?: boolean;
  /**
   * The bridge's own work (the model-list refresh), not a client's: it takes no slot of
   * `queueLimit` and waits behind the clients. @default false
   */
  internal?: boolean;
}

/** How a job on a worker went, as far as the pool's health decisions care. */
export type WorkerOutcome =
  /** The answer completed cleanly. */
  | { kind: 'ok' }
  /** The site answered with the first output (a held account's probe passed). */
  | { kind: 'served' }
  | { kind: 'challenge' }
  | { kind: 'rate-limited'; retryAfterSeconds?: number }
  /** `fromPage`: the page could not mint a token (not the site refusing one). */
  | { kind: 'recaptcha-rejected'; retryAfterSeconds?: number; fromPage?: boolean }
  | { kind: 'worker-lost' }
  /** The page's identity is not signed in (direct mode) or its session expired: a browser host re-bootstraps or reports it. */
  | { kind: 'login-gate' }
  | { kind: 'auth-expired' };

/** A worker as /health shows it. */
export type PooledWorkerSnapshot = WorkerSnapshot & { held: WorkerHold; coolDownUntil: number | null; account: string };

/** The pool as /health shows it. */
export interface WorkerPoolSnapshot {
  workers: PooledWorkerSnapshot[];
  /** Requests waiting for a worker. */
  queued: number;
  /** Leases the connected workers can hold at once. */
  capacity: number;
  /** Accounts of the connected workers and of persisted holds. */
  accounts: AccountSnapshot[];
}

/** Called with every job outcome core reports, after the pool has taken it into account. */
export type OutcomeListener = (worker: WorkerConnection, outcome: WorkerOutcome) => void;

/** What is left for a request that already tried some workers (see {@link WorkerPool.alternatives}). */
export type Alternatives = 'none' | 'busy' | 'free';

/** Called when a worker captured ids from the site's own Retry request. */
export type IdsCapturedListener = (worker: WorkerConnection, ids: { sessionId: string; messageId: string }) => void;

/** The set of connected workers: selection, queueing and health. Transports report to it as a {@link WorkerRegistry}. */
export interface WorkerPool extends WorkerRegistry {
  /**
   * Reserves the eligible worker with the most free slots (capacity − leases; ties: the one whose
   * account has fewer leases in flight, then the least recently used), waiting in a FIFO queue
   * while all are busy or held. Rejects with NoWorkerAvailableError: `no_worker_available` at once
   * when no worker is connected (or none matches), or after `queueTimeoutMs`; `queue_full`;
   * `shutting_down`. Rejects with ClientAbortError when `signal` aborts.
   */
  acquire(options: AcquireOptions): Promise<WorkerLease>;
  /** Feeds a job's outcome into the worker's health (challenge holds, 429 cool-downs, reCAPTCHA streaks) and its account's. */
  reportOutcome(worker: WorkerConnection, outcome: WorkerOutcome): void;
  /** The request budget the site announced in a response to this worker's account. */
  observeBudget(worker: WorkerConnection, budget: RateLimitBudget): void;
  /**
   * The connected workers other than `tried`: `none` when there are none, `free` when one of them
   * could take a job now (by the same rule `acquire` uses; an account that is only paced counts as
   * free), else `busy`.
   */
  alternatives(tried: ReadonlySet<string>): Alternatives;
  /** True while the worker's account is held (the site's security verification, §15.4). */
  accountHeld(worker: WorkerConnection): boolean;
  /** Subscribes to the outcomes core reports (a browser host reloads pages, metrics count them); returns the unsubscribe function. */
  onOutcome(listener: OutcomeListener): () => void;
  snapshot(): WorkerPoolSnapshot;
  /** Connected workers. */
  readonly size: number;
  /** The connected workers (id capture arms every one of them). */
  connections(): WorkerConnection[];
  /** Subscribes to captured ids; returns the unsubscribe function. */
  onIdsCaptured(listener: IdsCapturedListener): () => void;
  /** Rejects every waiter with `shutting_down` and refuses new acquisitions. */
  close(): void;
}
