import type { Logger } from '../../observability/logger.js';
import type { WorkerOutcome } from './pool-types.js';
import { accountLabelOf, accountOf } from '../accounts/account-key.js';
import { LONG_RETRY_AFTER_SECONDS, type AccountLedger } from '../accounts/account-ledger.js';
import type { PoolEntry } from './pool-entry.js';

const DEFAULT_RETRY_AFTER_SECONDS = 30;
const MAX_RETRY_AFTER_SECONDS = 3600;
const RECAPTCHA_FAILURES_BEFORE_RELOAD = 3;

/** What {@link applyOutcome} acts on besides the entry. */
export interface OutcomeContext {
  accounts: AccountLedger | undefined;
  logger: Logger;
  now: () => number;
  /** Schedules the end of the entry's cool-down (wakes the queue then). */
  coolDown: (entry: PoolEntry) => void;
}

/**
 * Feeds one job outcome into the worker's health (challenge holds and reloads, 429 cool-downs,
 * reCAPTCHA streaks) and its account's (holds, pacing).
 */
export function applyOutcome(entry: PoolEntry, outcome: WorkerOutcome, context: OutcomeContext): void {
  const { accounts, logger, now } = context;
  const worker = entry.worker;
  const account = accountOf(worker);
  const label = accountLabelOf(worker);
  switch (outcome.kind) {
    case 'ok':
      entry.recaptchaFailures = 0;
      accounts?.report(account, label, { kind: 'completed' });
      return;
    case 'served':
      accounts?.report(account, label, { kind: 'served' });
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
      if (accounts !== undefined && requested !== undefined && requested >= LONG_RETRY_AFTER_SECONDS) {
        // The site limits per account: a long wait holds every page of the account, not this one.
        accounts.report(account, label, { kind: 'rate-limited', retryAfterSeconds: requested });
        return;
      }
      const seconds = requested !== undefined && Number.isFinite(requested) ? Math.min(Math.max(requested, 0), MAX_RETRY_AFTER_SECONDS) : DEFAULT_RETRY_AFTER_SECONDS;
      const until = now() + seconds * 1000;
      entry.coolDownUntil = Math.max(entry.coolDownUntil ?? 0, until);
      logger.info('Worker rate-limited; cooling it down', { workerId: worker.id, seconds });
      context.coolDown(entry);
      return;
    }
    case 'recaptcha-rejected':
      if (outcome.fromPage !== true) {
        accounts?.report(account, label, outcome.retryAfterSeconds === undefined ? { kind: 'recaptcha-rejected' } : { kind: 'recaptcha-rejected', retryAfterSeconds: outcome.retryAfterSeconds });
      }
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
}
