import type { WorkerSnapshot } from '../workers/types.js';
import type { ModelDirectoryStatus } from './model-directory.js';

/** The pool state /health shows (the pool's snapshot satisfies it). */
export interface HealthPoolSnapshot {
  workers: ReadonlyArray<WorkerSnapshot & { held?: string | null; coolDownUntil?: number | null }>;
  queued: number;
  capacity: number;
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
      recaptchaReady: boolean;
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
        recaptchaReady: worker.page.recaptchaReady,
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
    models: {
      live: models.liveModels,
      fromFile: models.fileEntries,
      updatedAt: models.updatedAt === null ? null : iso(models.updatedAt),
      ageSeconds: models.updatedAt === null ? null : Math.round((now() - models.updatedAt) / 1000),
      lastError: models.lastError,
    },
  };
}
