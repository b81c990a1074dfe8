/**
 * The real worker pool for chat-service tests, with a record of what core did with it: the workers
 * it leased (in order), the outcomes it reported, and the leases not yet given back, so a test can
 * check that every lease came back. Closed after each test.
 */
import { afterEach } from 'vitest';
import { createSilentLogger } from '../../observability/logger.js';
import type { WorkerConnection } from '../../workers/types.js';
import { createWorkerPool, type WorkerOutcome, type WorkerPool, type WorkerPoolOptions } from '../pool/worker-pool.js';

export interface RecordedPool extends WorkerPool {
  /** Every outcome reported, in order. */
  readonly outcomes: Array<{ worker: string; outcome: WorkerOutcome }>;
  /** Ids of the workers leased, in order. */
  readonly served: string[];
  /** Leases not yet released. */
  outstanding(): number;
}

const pools: WorkerPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

export function createRecordedPool(workers: readonly WorkerConnection[], overrides: Partial<WorkerPoolOptions> = {}): RecordedPool {
  const pool = createWorkerPool({ logger: createSilentLogger(), connectHint: 'Connect a test worker.', queueTimeoutMs: 2_000, ...overrides });
  pools.push(pool);
  for (const worker of workers) pool.add(worker);
  const outcomes: RecordedPool['outcomes'] = [];
  const served: string[] = [];
  let outstanding = 0;
  pool.onOutcome((worker, outcome) => outcomes.push({ worker: worker.id, outcome }));
  const acquire: WorkerPool['acquire'] = async (options) => {
    const lease = await pool.acquire(options);
    served.push(lease.worker.id);
    outstanding += 1;
    let released = false;
    return {
      worker: lease.worker,
      release() {
        if (released) return;
        released = true;
        outstanding -= 1;
        lease.release();
      },
    };
  };
  const record = { outcomes, served, outstanding: () => outstanding, acquire };
  // Everything else (size, snapshot, alternatives, add…) is the pool's own, getters included.
  return new Proxy(pool, { get: (target, name) => (name in record ? record[name as keyof typeof record] : Reflect.get(target, name)) }) as RecordedPool;
}
