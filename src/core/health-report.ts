import type { WorkerSnapshot } from '../workers/types.js';
import type { AccountSnapshot } from './accounts/account-types.js';
import type { ModelDirectoryStatus } from './models/model-directory.js';

/** The pool state /health shows (the pool's snapshot satisfies it). */
export interface HealthPoolSnapshot {
  workers: ReadonlyArray<WorkerSnapshot & { held?: string | null; coolDownUntil?: number | null; account?: string }>;
  queued: number;
  capacity: number;
  accounts?: readonly AccountSnapshot[];
}

/** The /health body core contributes. No secrets: no cookies, tokens or pairing secret. */
export interface HealthReport {
  workers: {
    count: number;
    items: Array<{
      id: string;
      kind: string;
      url: string;
      auth: string;
      email: string | null;
      challenge: boolean;
      /** The site's "Security Verification" modal is showing in the page. */
      verification: boolean;
      recaptchaReady: boolean;
      /** The protocol the page came over (`h2`, `h3`, `http/1.1`); `''` when unknown. It decides `maxConcurrency`. */
      httpProtocol: string;
      activeJobs: number;
      maxConcurrency: number;
      held: string | null;
      coolDownUntil: string | null;
      connectedAt: string;
      lastHeartbeatAt: string;
      agentVersion: string;
    }>;
  };
  queue: { queued: number; capacity: number };
  /** Arena accounts: serving, held (until when, why, what to do) or probing, and their pacing. */
  accounts: Array<{
    account: string;
    state: string;
    until: string | null;
    reason: string | null;
    action: string | null;
    workers: string[];
    spacingSeconds: number;
    startedLastHour: number;
    hourlyBudget: number | null;
    siteBudget: { limit: number; windowSeconds: number | null; remaining: number | null } | null;
  }>;
  models: { live: number; fromFile: number; updatedAt: string | null; ageSeconds: number | null; lastError: string | null };
}

const iso = (milliseconds: number): string => new Date(milliseconds).toISOString();

/**
 * Builds the core part of /health from the pool and the model directory.
 * @example health: () => createHealthReport(pool, directory)
 */
export function createHealthReport(
  pool: { snapshot(): HealthPoolSnapshot },
  directory: { status(): ModelDirectoryStatus },
  now: () => number = Date.now,
): HealthReport {
  const snapshot = pool.snapshot();
  const models = directory.status();
  return {
    workers: {
      count: snapshot.workers.length,
      items: snapshot.workers.map((worker) => ({
        id: worker.id,
        kind: worker.kind,
        url: worker.page.url,
        auth: worker.page.auth,
        email: worker.page.email,
        challenge: worker.page.challenge,
        verification: worker.page.verification === true,
        recaptchaReady: worker.page.recaptchaReady,
        httpProtocol: worker.page.httpProtocol ?? '',
        activeJobs: worker.activeJobs,
        maxConcurrency: worker.maxConcurrency,
        held: worker.held ?? null,
        coolDownUntil: worker.coolDownUntil ? iso(worker.coolDownUntil) : null,
        connectedAt: iso(worker.connectedAt),
        lastHeartbeatAt: iso(worker.lastHeartbeatAt),
        agentVersion: worker.agentVersion,
      })),
    },
    queue: { queued: snapshot.queued, capacity: snapshot.capacity },
    // Accounts are shown by label (an email, or the identity the page exposes), never a cookie.
    accounts: (snapshot.accounts ?? []).map((account) => ({
      account: account.label,
      state: account.state,
      until: account.until === null ? null : iso(account.until),
      reason: account.reason,
      action: account.action,
      workers: snapshot.workers.filter((worker) => worker.account === account.account).map((worker) => worker.id),
      spacingSeconds: Math.round(account.spacingMs / 100) / 10,
      startedLastHour: account.startedLastHour,
      hourlyBudget: account.hourlyBudget,
      siteBudget:
        account.siteBudget === null
          ? null
          : { limit: account.siteBudget.limit, windowSeconds: account.siteBudget.windowSeconds ?? null, remaining: account.siteBudget.remaining ?? null },
    })),
    models: {
      live: models.liveModels,
      fromFile: models.fileEntries,
      updatedAt: models.updatedAt === null ? null : iso(models.updatedAt),
      ageSeconds: models.updatedAt === null ? null : Math.round((now() - models.updatedAt) / 1000),
      lastError: models.lastError,
    },
  };
}
