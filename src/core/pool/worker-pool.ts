import { accountLabelOf, accountOf } from '../accounts/account-key.js';
import { blockedBy, budgetError, describeAccountBlock, heldError } from '../accounts/account-gate.js';
import { createWakeTimer } from './wake-timer.js';
import { applyOutcome } from './pool-outcomes.js';
import { ClientAbortError } from '../errors/client-abort-error.js';
import { createPageAnnouncer } from './page-announcer.js';
import { NoWorkerAvailableError } from '../errors/no-worker-available-error.js';
import { pickEntry } from './pick-entry.js';
import { capOf, createPoolEntry, describeEntry, holdOf, isAvailable, type PoolEntry } from './pool-entry.js';
import type { WorkerConnection } from '../../workers/types.js';
import type { AcquireOptions, IdsCapturedListener, OutcomeListener, WorkerLease, WorkerPool, WorkerPoolOptions } from './pool-types.js';

export type {
  AcquireOptions,
  Alternatives,
  IdsCapturedListener,
  OutcomeListener,
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
  /** Epoch ms when it stops waiting. */
  readonly deadline: number;
  readonly resolve: (lease: WorkerLease) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly onAbort: () => void;
}


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
  const maxConcurrencyPerWorker = options.maxConcurrencyPerWorker ?? Number.POSITIVE_INFINITY;
  const queueLimit = options.queueLimit ?? 64;
  const queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const { accounts, events } = options;
  const entries = new Map<string, PoolEntry>();
  const listeners = new Set<IdsCapturedListener>();
  const outcomeListeners = new Set<OutcomeListener>();
  let waiters: Waiter[] = [];
  let leaseCounter = 0;
  let closed = false;
  // Wakes the queue when an account's pacing lets its next request start.
  const pacedWake = createWakeTimer(() => wake(), now);
  const stopWatchingAccounts = accounts?.onChange(() => wake());
  const announcePage = createPageAnnouncer({ logger, events, now });

  const matches = (entry: PoolEntry, acquire: AcquireOptions): boolean =>
    !entry.worker.closed && !(acquire.exclude?.has(entry.worker.id) ?? false) && (acquire.filter?.(entry.worker) ?? true);
  const gated = (acquire: AcquireOptions): boolean => accounts !== undefined && acquire.streamRequest !== false;
  const accountReady = (entry: PoolEntry, acquire: AcquireOptions): boolean =>
    !gated(acquire) || accounts?.readiness(accountOf(entry.worker)).kind === 'ready';
  const isAccountHeld = (worker: WorkerConnection): boolean => accounts !== undefined && accounts.readiness(accountOf(worker)).kind === 'held';

  function pick(acquire: AcquireOptions): PoolEntry | null {
    const at = now();
    const eligible = [...entries.values()].filter((entry) => isAvailable(entry, at) && matches(entry, acquire) && accountReady(entry, acquire));
    return pickEntry(eligible, entries.values());
  }

  function lease(entry: PoolEntry, acquire: AcquireOptions): WorkerLease {
    entry.leases += 1;
    leaseCounter += 1;
    entry.lastLeasedAt = leaseCounter;
    const account = accountOf(entry.worker);
    const counted = gated(acquire);
    if (counted) accounts?.started(account, accountLabelOf(entry.worker), entry.worker.id);
    let released = false;
    return {
      worker: entry.worker,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (counted) accounts?.finished(account, entry.worker.id);
        if (entries.get(entry.worker.id) === entry) wake();
      },
    };
  }

  /** Why nothing matching can be leased now, when accounts decide it (undefined: just wait). */
  function refusal(acquire: AcquireOptions, deadline: number): Error | undefined {
    if (accounts === undefined || !gated(acquire)) return undefined;
    const at = now();
    const matching = [...entries.values()].filter((entry) => matches(entry, acquire));
    const blocked = blockedBy(accounts, matching.map((entry) => entry.worker), (worker) => {
      const entry = entries.get(worker.id);
      return entry !== undefined && isAvailable(entry, at);
    });
    if (blocked.kind === 'held') return heldError(accounts, blocked, at);
    if (blocked.readyAt === undefined) return undefined;
    if (blocked.kind === 'paced' && blocked.readyAt > deadline) return budgetError(blocked.readyAt, deadline - at, at);
    pacedWake.at(blocked.readyAt);
    return undefined;
  }

  function leaveQueue(waiter: Waiter): void {
    waiters = waiters.filter((other) => other !== waiter);
    clearTimeout(waiter.timer);
    waiter.options.signal.removeEventListener('abort', waiter.onAbort);
  }

  /**
   * Serves waiters in arrival order; one whose filter fits no free worker does not block those
   * behind it, and one whose every account became held (or paced past its deadline) is refused now.
   */
  function wake(): void {
    // Clients first, in arrival order; the bridge's own work waits behind them.
    const ordered = [...waiters.filter((waiter) => waiter.options.internal !== true), ...waiters.filter((waiter) => waiter.options.internal === true)];
    for (const waiter of ordered) {
      const entry = pick(waiter.options);
      if (entry !== null) {
        leaveQueue(waiter);
        waiter.resolve(lease(entry, waiter.options));
        continue;
      }
      const refused = refusal(waiter.options, waiter.deadline);
      if (refused === undefined) continue;
      leaveQueue(waiter);
      waiter.reject(refused);
    }
  }

  function timeoutError(): NoWorkerAvailableError {
    const seconds = Math.round(queueTimeoutMs / 1000);
    const connected = [...entries.values()].filter((entry) => !entry.worker.closed);
    if (connected.length === 0) {
      return new NoWorkerAvailableError(`No browser worker connected within ${seconds} s. ${hint()}`);
    }
    const at = now();
    const reasons = connected.map((entry) => (accounts && describeAccountBlock(accounts, entry.worker, at)) ?? describeEntry(entry, at)).join('; ');
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
      if (entry !== null) return Promise.resolve(lease(entry, acquire));
      const deadline = now() + queueTimeoutMs;
      const refused = refusal(acquire, deadline);
      if (refused !== undefined) return Promise.reject(refused);
      const clients = waiters.filter((waiter) => waiter.options.internal !== true).length;
      if (acquire.internal !== true && clients >= queueLimit) {
        return Promise.reject(
          new NoWorkerAvailableError(`${clients} requests are already waiting for a browser worker, the most the queue holds. Retry later, or connect more workers.`, { code: 'queue_full' }),
        );
      }
      return new Promise<WorkerLease>((resolve, reject) => {
        const waiter: Waiter = {
          options: acquire,
          deadline,
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
      if (entry !== undefined && entry.worker === worker) applyOutcome(entry, outcome, { accounts, logger, now, coolDown: scheduleCoolDownEnd });
      for (const listener of [...outcomeListeners]) {
        try {
          listener(worker, outcome);
        } catch (error) {
          logger.error('An outcome listener failed', { workerId: worker.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
    },

    alternatives(tried) {
      const at = now();
      let connected = false;
      for (const entry of entries.values()) {
        if (entry.worker.closed || tried.has(entry.worker.id)) continue;
        connected = true;
        if (isAvailable(entry, at) && !isAccountHeld(entry.worker)) return 'free';
      }
      return connected ? 'busy' : 'none';
    },

    accountHeld: isAccountHeld,

    onOutcome(listener) {
      outcomeListeners.add(listener);
      return () => outcomeListeners.delete(listener);
    },

    observeBudget(worker, budget) {
      accounts?.observeBudget(accountOf(worker), budget);
    },

    snapshot() {
      const at = now();
      const workers = [...entries.values()].map((entry) => {
        const account = accountOf(entry.worker);
        const accountHeld = accounts !== undefined && accounts.readiness(account).kind === 'held';
        return {
          ...entry.worker.snapshot(),
          maxConcurrency: capOf(entry),
          held: holdOf(entry, at) ?? (accountHeld ? 'account-held' as const : null),
          coolDownUntil: entry.coolDownUntil !== null && entry.coolDownUntil > at ? entry.coolDownUntil : null,
          account,
        };
      });
      const capacity = [...entries.values()].reduce((sum, entry) => sum + (entry.worker.closed ? 0 : capOf(entry)), 0);
      const known = new Map([...entries.values()].map((entry) => [accountOf(entry.worker), accountLabelOf(entry.worker)] as const));
      return { workers, queued: waiters.length, capacity, accounts: accounts?.snapshot(known) ?? [] };
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
      outcomeListeners.clear();
      stopWatchingAccounts?.();
      pacedWake.clear();
    },

    add(worker) {
      const previous = entries.get(worker.id);
      if (previous !== undefined) forget(previous);
      const entry = createPoolEntry(worker, maxConcurrencyPerWorker);
      entries.set(worker.id, entry);
      logger.info('Worker joined the pool', { workerId: worker.id, kind: worker.kind, workers: entries.size });
      events?.emit({ type: 'worker.joined', at: now(), workerId: worker.id, kind: worker.kind, account: accountLabelOf(worker) });
      entry.shown = announcePage(worker, { challenge: false, verification: false });
      wake();
    },

    remove(worker) {
      const entry = entries.get(worker.id);
      if (entry === undefined || entry.worker !== worker) return;
      forget(entry);
      logger.info('Worker left the pool', { workerId: worker.id, workers: entries.size });
      events?.emit({ type: 'worker.left', at: now(), workerId: worker.id, kind: worker.kind, account: accountLabelOf(worker) });
      wake();
    },

    pageChanged(worker) {
      const entry = entries.get(worker.id);
      if (entry === undefined || entry.worker !== worker) return;
      if (entry.challengeHeld && !worker.page.challenge) {
        entry.challengeHeld = false;
        entry.reloadRequested = false;
        logger.info('Worker challenge cleared', { workerId: worker.id });
      }
      const before = entry.shown;
      entry.shown = announcePage(worker, before);
      // A page reloaded onto another protocol takes more or fewer jobs; the wake below fills new slots.
      const cap = capOf(entry);
      if (cap !== entry.shownCap) {
        logger.info('Worker capacity changed', { workerId: worker.id, httpProtocol: worker.page.httpProtocol ?? '', maxConcurrency: cap, previous: entry.shownCap });
        entry.shownCap = cap;
      }
      // The person passed the site's verification in this account's page: its hold ends now.
      if (before.verification && !entry.shown.verification) accounts?.verificationPassed(accountOf(worker));
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
