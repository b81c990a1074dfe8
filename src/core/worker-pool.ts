import { ClientAbortError } from './errors/client-abort-error.js';
import { NoWorkerAvailableError } from './errors/no-worker-available-error.js';
import { createPoolEntry, describeEntry, holdOf, isAvailable, type PoolEntry } from './pool-entry.js';
import type { AcquireOptions, IdsCapturedListener, WorkerLease, WorkerPool, WorkerPoolOptions } from './pool-types.js';

export type {
  AcquireOptions,
  IdsCapturedListener,
  PooledWorkerSnapshot,
  WorkerLease,
  WorkerOutcome,
  WorkerPool,
  WorkerPoolOptions,
  WorkerPoolSnapshot,
} from './pool-types.js';
export type { WorkerHold } from './pool-entry.js';

interface Waiter {
  readonly options: AcquireOptions;
  readonly resolve: (lease: WorkerLease) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly onAbort: () => void;
}

const DEFAULT_RETRY_AFTER_SECONDS = 30;
const MAX_RETRY_AFTER_SECONDS = 3600;
const RECAPTCHA_FAILURES_BEFORE_RELOAD = 3;

/**
 * Creates the worker pool.
 *
 * @example
 * const pool = createWorkerPool({ logger, connectHint: 'Install the userscript from http://127.0.0.1:5102/userscript.user.js …' });
 * const lease = await pool.acquire({ signal });
 * try { … lease.worker.startJob(request, signal) … } finally { lease.release(); }
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const logger = options.logger.child({ component: 'worker-pool' });
  const hint = () => (typeof options.connectHint === 'function' ? options.connectHint() : options.connectHint);
  const maxConcurrencyPerWorker = options.maxConcurrencyPerWorker ?? 4;
  const queueLimit = options.queueLimit ?? 64;
  const queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, PoolEntry>();
  const listeners = new Set<IdsCapturedListener>();
  let waiters: Waiter[] = [];
  let leaseCounter = 0;
  let closed = false;

  const matches = (entry: PoolEntry, acquire: AcquireOptions): boolean =>
    !entry.worker.closed && !(acquire.exclude?.has(entry.worker.id) ?? false) && (acquire.filter?.(entry.worker) ?? true);

  function pick(acquire: AcquireOptions): PoolEntry | null {
    const at = now();
    let best: PoolEntry | null = null;
    for (const entry of entries.values()) {
      if (!isAvailable(entry, at) || !matches(entry, acquire)) continue;
      if (best === null || entry.leases < best.leases || (entry.leases === best.leases && entry.lastLeasedAt < best.lastLeasedAt)) best = entry;
    }
    return best;
  }

  function lease(entry: PoolEntry): WorkerLease {
    entry.leases += 1;
    leaseCounter += 1;
    entry.lastLeasedAt = leaseCounter;
    let released = false;
    return {
      worker: entry.worker,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entries.get(entry.worker.id) === entry) wake();
      },
    };
  }

  function leaveQueue(waiter: Waiter): void {
    waiters = waiters.filter((other) => other !== waiter);
    clearTimeout(waiter.timer);
    waiter.options.signal.removeEventListener('abort', waiter.onAbort);
  }

  /** Serves waiters in arrival order; one whose filter fits no free worker does not block those behind it. */
  function wake(): void {
    for (const waiter of [...waiters]) {
      const entry = pick(waiter.options);
      if (entry === null) continue;
      leaveQueue(waiter);
      waiter.resolve(lease(entry));
    }
  }

  function timeoutError(): NoWorkerAvailableError {
    const seconds = Math.round(queueTimeoutMs / 1000);
    const connected = [...entries.values()].filter((entry) => !entry.worker.closed);
    if (connected.length === 0) {
      return new NoWorkerAvailableError(`No browser worker connected within ${seconds} s. ${hint()}`);
    }
    const at = now();
    const reasons = connected.map((entry) => describeEntry(entry, at)).join('; ');
    return new NoWorkerAvailableError(
      `All ${connected.length} connected workers stayed busy or held for ${seconds} s (${reasons}). Retry later, or connect more workers. ${hint()}`,
    );
  }

  function scheduleCoolDownEnd(entry: PoolEntry): void {
    if (entry.coolDownTimer !== null) clearTimeout(entry.coolDownTimer);
    entry.coolDownTimer = null;
    if (entry.coolDownUntil === null) return;
    const remaining = entry.coolDownUntil - now();
    if (remaining <= 0) {
      entry.coolDownUntil = null;
      wake();
      return;
    }
    entry.coolDownTimer = setTimeout(() => scheduleCoolDownEnd(entry), remaining);
    entry.coolDownTimer.unref();
  }

  function forget(entry: PoolEntry): void {
    if (entry.coolDownTimer !== null) clearTimeout(entry.coolDownTimer);
    entry.coolDownTimer = null;
    entries.delete(entry.worker.id);
  }

  return {
    acquire(acquire) {
      if (closed) return Promise.reject(new NoWorkerAvailableError('The bridge is shutting down.', { code: 'shutting_down' }));
      if (acquire.signal.aborted) return Promise.reject(new ClientAbortError('The request was aborted before a worker was assigned.'));
      const connected = [...entries.values()].filter((entry) => !entry.worker.closed);
      if (connected.length === 0) {
        return Promise.reject(new NoWorkerAvailableError(`No browser worker is connected. ${hint()}`));
      }
      if (!connected.some((entry) => matches(entry, acquire))) {
        return Promise.reject(
          new NoWorkerAvailableError(`None of the ${connected.length} connected workers can take this request (each was already tried or does not match it). ${hint()}`),
        );
      }
      const entry = pick(acquire);
      if (entry !== null) return Promise.resolve(lease(entry));
      if (waiters.length >= queueLimit) {
        return Promise.reject(
          new NoWorkerAvailableError(`${waiters.length} requests are already waiting for a browser worker, the most the queue holds. Retry later, or connect more workers.`, { code: 'queue_full' }),
        );
      }
      return new Promise<WorkerLease>((resolve, reject) => {
        const waiter: Waiter = {
          options: acquire,
          resolve,
          reject,
          timer: setTimeout(() => {
            leaveQueue(waiter);
            reject(timeoutError());
          }, queueTimeoutMs),
          onAbort: () => {
            leaveQueue(waiter);
            reject(new ClientAbortError('The client went away while waiting for a browser worker.'));
          },
        };
        acquire.signal.addEventListener('abort', waiter.onAbort, { once: true });
        waiters.push(waiter);
      });
    },

    reportOutcome(worker, outcome) {
      const entry = entries.get(worker.id);
      if (entry === undefined || entry.worker !== worker) return;
      switch (outcome.kind) {
        case 'ok':
          entry.recaptchaFailures = 0;
          return;
        case 'challenge':
          entry.challengeHeld = true;
          if (!entry.reloadRequested) {
            entry.reloadRequested = true;
            logger.warn('Worker hit a challenge; holding it and reloading its page', { workerId: worker.id });
            worker.reloadPage('challenge');
          }
          return;
        case 'rate-limited': {
          const requested = outcome.retryAfterSeconds;
          const seconds = requested !== undefined && Number.isFinite(requested) ? Math.min(Math.max(requested, 0), MAX_RETRY_AFTER_SECONDS) : DEFAULT_RETRY_AFTER_SECONDS;
          const until = now() + seconds * 1000;
          entry.coolDownUntil = Math.max(entry.coolDownUntil ?? 0, until);
          logger.info('Worker rate-limited; cooling it down', { workerId: worker.id, seconds });
          scheduleCoolDownEnd(entry);
          return;
        }
        case 'recaptcha-rejected':
          entry.recaptchaFailures += 1;
          if (entry.recaptchaFailures >= RECAPTCHA_FAILURES_BEFORE_RELOAD) {
            entry.recaptchaFailures = 0;
            logger.warn('Worker had its reCAPTCHA tokens rejected repeatedly; reloading its page', { workerId: worker.id });
            worker.reloadPage('recaptcha');
          }
          return;
        case 'worker-lost':
          logger.debug('Worker lost during a job', { workerId: worker.id });
          return;
        case 'login-gate':
        case 'auth-expired':
          // Not the pool's to fix: the page must sign in. A browser host sees these too.
          logger.debug('Worker needs a signed-in session', { workerId: worker.id, outcome: outcome.kind });
          return;
      }
    },

    snapshot() {
      const at = now();
      const workers = [...entries.values()].map((entry) => ({
        ...entry.worker.snapshot(),
        held: holdOf(entry, at),
        coolDownUntil: entry.coolDownUntil !== null && entry.coolDownUntil > at ? entry.coolDownUntil : null,
      }));
      const capacity = [...entries.values()].reduce((sum, entry) => sum + (entry.worker.closed ? 0 : entry.cap), 0);
      return { workers, queued: waiters.length, capacity };
    },

    get size() {
      return entries.size;
    },

    connections() {
      return [...entries.values()].map((entry) => entry.worker).filter((worker) => !worker.closed);
    },

    onIdsCaptured(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    close() {
      closed = true;
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) {
        clearTimeout(waiter.timer);
        waiter.options.signal.removeEventListener('abort', waiter.onAbort);
        waiter.reject(new NoWorkerAvailableError('The bridge is shutting down.', { code: 'shutting_down' }));
      }
      for (const entry of [...entries.values()]) forget(entry);
      listeners.clear();
    },

    add(worker) {
      const previous = entries.get(worker.id);
      if (previous !== undefined) forget(previous);
      entries.set(worker.id, createPoolEntry(worker, maxConcurrencyPerWorker));
      logger.info('Worker joined the pool', { workerId: worker.id, kind: worker.kind, workers: entries.size });
      wake();
    },

    remove(worker) {
      const entry = entries.get(worker.id);
      if (entry === undefined || entry.worker !== worker) return;
      forget(entry);
      logger.info('Worker left the pool', { workerId: worker.id, workers: entries.size });
    },

    pageChanged(worker) {
      const entry = entries.get(worker.id);
      if (entry === undefined || entry.worker !== worker) return;
      if (entry.challengeHeld && !worker.page.challenge) {
        entry.challengeHeld = false;
        entry.reloadRequested = false;
        logger.info('Worker challenge cleared', { workerId: worker.id });
      }
      wake();
    },

    recovering(worker, recovering) {
      const entry = entries.get(worker.id);
      if (entry === undefined || entry.worker !== worker || entry.recovering === recovering) return;
      entry.recovering = recovering;
      logger.debug(recovering ? 'Worker page recovering; no new jobs for it' : 'Worker page recovery over', { workerId: worker.id });
      if (!recovering) wake();
    },

    idsCaptured(worker, ids) {
      for (const listener of [...listeners]) {
        try {
          listener(worker, ids);
        } catch (error) {
          logger.error('An ids-captured listener failed', { workerId: worker.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
    },
  };
}
