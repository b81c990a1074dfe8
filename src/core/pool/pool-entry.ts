import type { WorkerConnection } from '../../workers/types.js';
import type { ShownFlags } from './page-announcer.js';

/** Why a connected worker is not taking jobs, as /health shows it. */
export type WorkerHold = 'challenge' | 'rate-limited' | 'recovering' | 'account-held' | null;

/** The pool's bookkeeping for one connected worker. */
export interface PoolEntry {
  readonly worker: WorkerConnection;
  /** The pool's own cap on any worker's leases (`maxConcurrencyPerWorker`); `Infinity` when none. */
  readonly poolCap: number;
  /** The capacity last logged, to announce its changes once. */
  shownCap: number;
  leases: number;
  /** Order of the last lease (higher is more recent); ties between equally busy workers go to the lowest. */
  lastLeasedAt: number;
  /** A job hit a challenge; held until the page reports the challenge gone. */
  challengeHeld: boolean;
  /** A reload was already requested in this challenge episode. */
  reloadRequested: boolean;
  /** Epoch ms until which the worker is cooling down after a 429, or null. */
  coolDownUntil: number | null;
  coolDownTimer: NodeJS.Timeout | null;
  /** reCAPTCHA rejections in a row since the last success. */
  recaptchaFailures: number;
  /** Its page is about to be reloaded or restarted by the bridge: no new jobs. */
  recovering: boolean;
  /** The page flags last seen, to announce their changes once. */
  shown: ShownFlags;
}

/** Creates the entry for a newly added worker. */
export function createPoolEntry(worker: WorkerConnection, maxConcurrencyPerWorker: number): PoolEntry {
  return {
    worker,
    poolCap: maxConcurrencyPerWorker,
    shownCap: Math.max(1, Math.min(maxConcurrencyPerWorker, worker.maxConcurrency)),
    leases: 0,
    lastLeasedAt: 0,
    challengeHeld: false,
    reloadRequested: false,
    coolDownUntil: null,
    coolDownTimer: null,
    recaptchaFailures: 0,
    recovering: false,
    shown: { challenge: worker.page.challenge, verification: worker.page.verification === true },
  };
}

/**
 * Leases the worker may hold at once now: what its page can run (which follows its page state, so a
 * page reloaded onto another protocol changes it), within the pool's own cap; at least 1.
 */
export function capOf(entry: PoolEntry): number {
  return Math.max(1, Math.min(entry.poolCap, entry.worker.maxConcurrency));
}

/** Why the worker is held at `now`, if it is. */
export function holdOf(entry: PoolEntry, now: number): WorkerHold {
  if (entry.challengeHeld || entry.worker.page.challenge) return 'challenge';
  if (entry.coolDownUntil !== null && entry.coolDownUntil > now) return 'rate-limited';
  if (entry.recovering) return 'recovering';
  return null;
}

/** True when the worker can take one more lease at `now`. */
export function isAvailable(entry: PoolEntry, now: number): boolean {
  return !entry.worker.closed && entry.leases < capOf(entry) && holdOf(entry, now) === null;
}

/** One clause for the "all workers were busy" message. */
export function describeEntry(entry: PoolEntry, now: number): string {
  const id = entry.worker.id;
  if (entry.worker.closed) return `${id} disconnected`;
  const hold = holdOf(entry, now);
  if (hold === 'challenge') return `${id} held by a Cloudflare challenge (solve it in that browser tab)`;
  if (hold === 'rate-limited') {
    const seconds = Math.ceil(((entry.coolDownUntil ?? now) - now) / 1000);
    return `${id} rate-limited by the arena for ${seconds} s more`;
  }
  if (hold === 'recovering') return `${id} having its page reloaded by the bridge`;
  return `${id} busy with ${entry.leases}/${capOf(entry)} requests`;
}
