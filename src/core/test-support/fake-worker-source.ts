/**
 * The one {@link WorkerSource} double for tests: leases the first eligible worker in order and
 * records what core tells it (outcomes, leases, which worker served), so a test can check that
 * every lease came back. A worker reported as challenged or rate-limited is held from then on.
 */
import type { WorkerConnection } from '../../workers/types.js';
import { NoWorkerAvailableError } from '../errors/index.js';
import type { WorkerLease, WorkerOutcome, WorkerSource, WorkerSourceEntry } from '../worker-source.js';

type AcquireOptions = Parameters<WorkerSource['acquire']>[0];

export class FakeWorkerSource<Worker extends WorkerConnection = WorkerConnection> implements WorkerSource {
  /** Every outcome reported, in order. */
  readonly outcomes: Array<{ worker: string; outcome: WorkerOutcome }> = [];
  /** Ids of the workers leased, in order. */
  readonly served: string[] = [];
  readonly held = new Set<string>();
  readonly workers: Worker[];
  readonly #leased = new Map<string, number>();

  constructor(workers: Worker[]) {
    this.workers = workers;
  }

  get size(): number {
    return this.workers.length;
  }

  async acquire(options: AcquireOptions): Promise<WorkerLease> {
    const worker = this.workers.find(
      (candidate) => !this.held.has(candidate.id) && !options.exclude?.has(candidate.id) && (options.filter?.(candidate) ?? true),
    );
    if (!worker) throw new NoWorkerAvailableError('No test worker is eligible.');
    this.#leased.set(worker.id, (this.#leased.get(worker.id) ?? 0) + 1);
    this.served.push(worker.id);
    let released = false;
    return {
      worker,
      release: () => {
        if (released) return;
        released = true;
        this.#leased.set(worker.id, (this.#leased.get(worker.id) ?? 0) - 1);
      },
    };
  }

  reportOutcome(worker: WorkerConnection, outcome: WorkerOutcome): void {
    this.outcomes.push({ worker: worker.id, outcome });
    if (outcome.kind === 'challenge' || outcome.kind === 'rate-limited') this.held.add(worker.id);
  }

  snapshot(): { workers: WorkerSourceEntry[] } {
    return { workers: this.workers.map((worker) => ({ ...worker.snapshot(), held: this.held.has(worker.id) ? 'held' : null })) };
  }

  /** Leases not yet released, over all workers. */
  outstanding(): number {
    return [...this.#leased.values()].reduce((sum, count) => sum + count, 0);
  }
}
