import type { RateLimitBudget } from '../../arena/index.js';
import type { BridgeEvents } from '../../observability/bridge-events.js';
import type { Logger } from '../../observability/logger.js';
import { learnSpacing, nextStartAt, pruneStarts, relaxSpacing, type ObservedBudget } from './account-pacing.js';
import type {
  AccountOutcome,
  AccountPacingOptions,
  AccountReadiness,
  AccountSnapshot,
  AccountStateStore,
  HoldReason,
} from './account-types.js';
import { holdAction, holdCause } from './hold-messages.js';

/** A `retry-after` at least this long holds the account at the first refusal (the flag sends ≈1200 s, §15.4). */
export const LONG_RETRY_AFTER_SECONDS = 120;
/** Refusals in a row that a fresh token did not fix before the account is held. */
const REJECTIONS_BEFORE_HOLD = 2;
/** Start times kept per account, whatever the budget. */
const MAX_STARTS = 10_000;

/** Options of {@link createAccountLedger}. */
export interface AccountLedgerOptions {
  pacing: AccountPacingOptions;
  /** Hold length when the site sends no `retry-after` (`account_hold_minutes`). */
  defaultHoldMs: number;
  logger: Logger;
  store?: AccountStateStore;
  events?: BridgeEvents;
  /** Metrics hooks. */
  onHoldStarted?: () => void;
  onProbeRejected?: () => void;
  now?: () => number;
}

/** Per-account holds (the site's security flag) and pacing. */
export interface AccountLedger {
  readiness(account: string): AccountReadiness;
  /** A request starts on `account` through `workerId`. */
  started(account: string, label: string, workerId: string): void;
  /** That request's worker lease ended; a probe that got no verdict is abandoned. */
  finished(account: string, workerId: string): void;
  report(account: string, label: string, outcome: AccountOutcome): void;
  /** A page of the account passed the site's verification: the hold ends now. */
  verificationPassed(account: string): void;
  /** The budget the site announced in a response to this account. */
  observeBudget(account: string, budget: RateLimitBudget): void;
  /** One sentence on the hold and what to do; undefined when not held. */
  describeHold(account: string): string | undefined;
  snapshot(known?: ReadonlyMap<string, string>): AccountSnapshot[];
  /** Called after any change that may free or block an account. */
  onChange(listener: () => void): () => void;
  close(): void;
}

interface Entry {
  account: string;
  label: string;
  holdUntil: number | null;
  holdReason: HoldReason | null;
  probing: boolean;
  probeWorker: string | null;
  rejections: number;
  starts: number[];
  learnedSpacingMs: number;
  /** When the last hold ended: the spacing counts from requests after it. */
  spacingFrom: number;
  site: ObservedBudget | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Creates the ledger; holds persisted by `store` are restored at once. A held account takes no
 * request until its hold ends; then exactly one probe may go, whose verdict releases or re-holds it.
 */
export function createAccountLedger(options: AccountLedgerOptions): AccountLedger {
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ component: 'accounts' });
  const entries = new Map<string, Entry>();
  const listeners = new Set<() => void>();

  // Deferred and coalesced: readiness() is asked from inside the pool's selection loop, which a
  // synchronous wake-up would re-enter.
  let notifying = false;
  const notify = (): void => {
    if (notifying) return;
    notifying = true;
    queueMicrotask(() => {
      notifying = false;
      for (const listener of [...listeners]) listener();
    });
  };

  function entryOf(account: string, label?: string): Entry {
    let entry = entries.get(account);
    if (entry === undefined) {
      entry = {
        account, label: label ?? account, holdUntil: null, holdReason: null, probing: false, probeWorker: null,
        rejections: 0, starts: [], learnedSpacingMs: 0, spacingFrom: 0, site: undefined, timer: undefined,
      };
      entries.set(account, entry);
    } else if (label !== undefined) {
      entry.label = label;
    }
    return entry;
  }

  function persist(entry: Entry): void {
    if (options.store === undefined) return;
    try {
      if (entry.holdUntil === null && !entry.probing && entry.learnedSpacingMs === 0) options.store.remove(entry.account);
      else options.store.save({
        account: entry.account, label: entry.label, holdUntil: entry.holdUntil, holdReason: entry.holdReason,
        probing: entry.probing, learnedSpacingMs: entry.learnedSpacingMs, updatedAt: now(),
      });
    } catch (error) {
      logger.warn('Saving an account hold to the data directory failed; it will not survive a restart', {
        account: entry.label, error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  function schedule(entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.holdUntil === null) return;
    entry.timer = setTimeout(() => expire(entry), Math.max(0, entry.holdUntil - now()));
    entry.timer.unref();
  }

  function expire(entry: Entry): void {
    if (entry.holdUntil === null || entry.holdUntil > now()) return schedule(entry);
    entry.holdUntil = null;
    entry.probing = true;
    entry.probeWorker = null;
    entry.timer = undefined;
    entry.spacingFrom = now();
    persist(entry);
    logger.info('Account hold ended; its next request is a probe', { account: entry.label });
    notify();
  }

  /** Sets (or clears) the hold; either way no probe is pending and the refusal count restarts. */
  function settle(entry: Entry, until: number | null, reason: HoldReason | null): void {
    entry.holdUntil = until;
    entry.holdReason = reason;
    entry.probing = false;
    entry.probeWorker = null;
    entry.rejections = 0;
    persist(entry);
    schedule(entry);
  }

  function hold(entry: Entry, reason: HoldReason, retryAfterSeconds: number | undefined): void {
    const at = now();
    const ms = retryAfterSeconds === undefined ? options.defaultHoldMs : retryAfterSeconds * 1000;
    if (reason === 'verification' && options.pacing.adaptive) entry.learnedSpacingMs = learnSpacing(entry.starts, at, entry.learnedSpacingMs);
    const until = at + ms;
    settle(entry, until, reason);
    const action = holdAction(entry.label, reason, until, at);
    logger.warn(`Account held: ${holdCause(reason)}. ${action}`, {
      account: entry.label, until: new Date(until).toISOString(), learnedSpacingSeconds: Math.round(entry.learnedSpacingMs / 1000),
    });
    options.onHoldStarted?.();
    options.events?.emit({ type: 'account.held', at, account: entry.label, until, reason: holdCause(reason), action });
    notify();
  }

  function release(entry: Entry, reason: 'probe-succeeded' | 'verification-passed'): void {
    if (entry.holdUntil !== null) entry.spacingFrom = now();
    settle(entry, null, null);
    logger.info('Account released', { account: entry.label, reason });
    options.events?.emit({ type: 'account.released', at: now(), account: entry.label, reason });
    notify();
  }

  for (const stored of options.store?.load() ?? []) {
    const entry = entryOf(stored.account, stored.label);
    entry.learnedSpacingMs = stored.learnedSpacingMs;
    entry.holdReason = stored.holdReason;
    if (stored.holdUntil !== null && stored.holdUntil > now()) entry.holdUntil = stored.holdUntil;
    else entry.probing = stored.probing || stored.holdUntil !== null;
    schedule(entry);
  }

  return {
    readiness(account) {
      const entry = entries.get(account);
      if (entry === undefined) return { kind: 'ready' };
      const at = now();
      if (entry.holdUntil !== null) {
        if (entry.holdUntil > at) return { kind: 'held', until: entry.holdUntil, reason: entry.holdReason ?? 'verification' };
        expire(entry);
      }
      if (entry.probing && entry.probeWorker !== null) return { kind: 'probe-busy' };
      pruneStarts(entry.starts, at);
      const readyAt = nextStartAt({
        starts: entry.starts, spacingFrom: entry.spacingFrom, minIntervalMs: options.pacing.minIntervalMs, learnedSpacingMs: entry.learnedSpacingMs,
        hourlyBudget: options.pacing.hourlyBudget, site: entry.site,
      });
      return readyAt > at ? { kind: 'paced', readyAt } : { kind: 'ready' };
    },

    started(account, label, workerId) {
      const entry = entryOf(account, label);
      if (entry.holdUntil !== null && entry.holdUntil <= now()) expire(entry);
      entry.starts.push(now());
      if (entry.starts.length > MAX_STARTS) entry.starts.splice(0, entry.starts.length - MAX_STARTS);
      if (entry.probing && entry.probeWorker === null) {
        entry.probeWorker = workerId;
        logger.info('Probing a held account with one request', { account: entry.label, workerId });
        options.events?.emit({ type: 'account.probing', at: now(), account: entry.label, workerId });
      }
    },

    finished(account, workerId) {
      const entry = entries.get(account);
      if (entry === undefined || !entry.probing || entry.probeWorker !== workerId) return;
      entry.probeWorker = null;
      notify();
    },

    report(account, label, outcome) {
      const entry = entryOf(account, label);
      switch (outcome.kind) {
        case 'served':
        case 'completed':
          entry.rejections = 0;
          if (entry.holdUntil !== null && entry.holdUntil <= now()) expire(entry);
          if (entry.probing) return release(entry, 'probe-succeeded');
          if (outcome.kind === 'completed' && entry.learnedSpacingMs > 0) {
            entry.learnedSpacingMs = relaxSpacing(entry.learnedSpacingMs);
            persist(entry);
          }
          return;
        case 'recaptcha-rejected': {
          if (entry.holdUntil !== null && entry.holdUntil > now()) return;
          const wait = outcome.retryAfterSeconds;
          if (entry.probing) {
            options.onProbeRejected?.();
            return hold(entry, 'verification', wait);
          }
          entry.rejections += 1;
          if ((wait !== undefined && wait >= LONG_RETRY_AFTER_SECONDS) || entry.rejections >= REJECTIONS_BEFORE_HOLD) hold(entry, 'verification', wait);
          return;
        }
        case 'rate-limited':
          if (entry.holdUntil !== null && entry.holdUntil > now()) return;
          if (entry.probing) options.onProbeRejected?.();
          return hold(entry, 'rate-limited', outcome.retryAfterSeconds);
      }
    },

    verificationPassed(account) {
      const entry = entries.get(account);
      if (entry === undefined || (entry.holdUntil === null && !entry.probing)) return;
      release(entry, 'verification-passed');
    },

    observeBudget(account, budget) {
      entryOf(account).site = { budget, at: now() };
    },

    describeHold(account) {
      const entry = entries.get(account);
      const at = now();
      if (entry === undefined || entry.holdUntil === null || entry.holdUntil <= at) return undefined;
      return `${entry.label}: ${holdCause(entry.holdReason ?? 'verification')}. ${holdAction(entry.label, entry.holdReason ?? 'verification', entry.holdUntil, at)}`;
    },

    snapshot(known = new Map()) {
      const at = now();
      for (const [account, label] of known) entryOf(account, label);
      return [...entries.values()].map((entry): AccountSnapshot => {
        pruneStarts(entry.starts, at);
        const held = entry.holdUntil !== null && entry.holdUntil > at;
        const reason = entry.holdReason ?? 'verification';
        return {
          account: entry.account,
          label: entry.label,
          state: held ? 'held' : entry.probing || entry.holdUntil !== null ? 'probing' : 'serving',
          until: held ? entry.holdUntil : null,
          reason: held ? reason : null,
          action: held && entry.holdUntil !== null ? holdAction(entry.label, reason, entry.holdUntil, at) : null,
          spacingMs: Math.max(options.pacing.minIntervalMs, entry.learnedSpacingMs),
          startedLastHour: entry.starts.length,
          hourlyBudget: options.pacing.hourlyBudget > 0 ? options.pacing.hourlyBudget : null,
          siteBudget: entry.site?.budget ?? null,
        };
      });
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    close() {
      for (const entry of entries.values()) if (entry.timer !== undefined) clearTimeout(entry.timer);
      listeners.clear();
    },
  };
}
