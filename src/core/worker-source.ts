/**
 * The narrow view of the worker pool the chat service needs. The real pool (./worker-pool.ts)
 * satisfies it structurally; tests use small in-test implementations.
 */
import type { RateLimitBudget } from '../arena/index.js';
import type { PageState } from '../shared/worker-protocol.js';
import type { WorkerConnection } from '../workers/types.js';
import type { WorkerLease, WorkerOutcome } from './pool-types.js';

export type { WorkerLease, WorkerOutcome };

/** One worker as the pool's snapshot shows it (the fields core reads). */
export interface WorkerSourceEntry {
  id: string;
  page: PageState;
  activeJobs: number;
  maxConcurrency: number;
  /** Why the pool holds the worker back, if it does. */
  held?: string | null;
}

/** Where the chat service gets workers from. */
export interface WorkerSource {
  /** Rejects with NoWorkerAvailableError when none is free in time. */
  acquire(options: {
    signal: AbortSignal;
    filter?: (worker: WorkerConnection) => boolean;
    /** Ids of workers already tried for this request. */
    exclude?: ReadonlySet<string>;
    /** False for page loads, server actions and uploads (no account holds or pacing). @default true */
    streamRequest?: boolean;
    /** The bridge's own work: no client queue slot, served after clients. @default false */
    internal?: boolean;
  }): Promise<WorkerLease>;
  reportOutcome(worker: WorkerConnection, outcome: WorkerOutcome): void;
  /** The request budget the site announced for this worker's account (rate-limit headers). */
  observeBudget?(worker: WorkerConnection, budget: RateLimitBudget): void;
  snapshot(): { workers: readonly WorkerSourceEntry[] };
  readonly size: number;
}
