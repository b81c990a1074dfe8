/**
 * Maps the worker pool onto the metrics' gauges. Part of the composition root.
 */
import type { WorkerPool } from './core/index.js';
import type { BridgeMetrics } from './observability/metrics.js';

/** The metrics, loaded only when enabled; workers and queue are read from the pool on each scrape. */
export async function createBridgeMetrics(pool: WorkerPool, liveModels: () => number): Promise<BridgeMetrics> {
  const { createMetrics } = await import('./observability/metrics.js');
  return createMetrics({
    workers: () => pool.snapshot().workers.map((worker) => ({ kind: worker.kind, hold: worker.held ?? 'none' })),
    activeJobs: () => pool.snapshot().workers.reduce((sum, worker) => sum + worker.activeJobs, 0),
    capacity: () => pool.snapshot().capacity,
    queued: () => pool.snapshot().queued,
    accounts: () => pool.snapshot().accounts.map((account) => ({ state: account.state })),
    liveModels,
  });
}
