import { extractModelsFromHtml, parseModelCatalog } from '../../arena/index.js';
import { PATHS } from '../../arena/constants.js';
import type { ArenaModel } from '../../arena/types.js';
import type { WorkerConnection } from '../../workers/types.js';
import { runWorkerJob } from '../pool/run-worker-job.js';
import type { WorkerPool } from '../pool/pool-types.js';

/** Fetches the live model list; rejects when no list could be obtained. */
export type ArenaModelFetcher = (signal: AbortSignal) => Promise<ArenaModel[]>;

/** A GET through the worker, the way the page itself would load it. */
function get(worker: WorkerConnection, path: string, signal: AbortSignal) {
  return runWorkerJob(worker, { method: 'GET', url: path, headers: { Accept: '*/*' } }, signal);
}

/**
 * The live model list through a worker: the public catalog (`/nextjs-api/model-catalog`, §9.2),
 * falling back to the flight data of `/text/direct` (§9.1) when the catalog fails or is empty.
 */
export function createArenaModelFetcher(workers: Pick<WorkerPool, 'acquire'>): ArenaModelFetcher {
  return async (signal) => {
    const lease = await workers.acquire({ signal, streamRequest: false, internal: true });
    try {
      const problems: string[] = [];
      try {
        const catalog = await get(lease.worker, PATHS.modelCatalog, signal);
        if (catalog.status >= 200 && catalog.status < 300) {
          const models = parseModelCatalog(JSON.parse(catalog.body) as unknown);
          if (models.length > 0) return models;
          problems.push('the model catalog was empty');
        } else problems.push(`the model catalog answered HTTP ${catalog.status}`);
      } catch (error) {
        if (signal.aborted) throw error;
        problems.push(`the model catalog failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const page = await get(lease.worker, PATHS.directPage, signal);
      const models = page.status >= 200 && page.status < 300 ? extractModelsFromHtml(page.body) : undefined;
      if (models && models.length > 0) return models;
      problems.push(`${PATHS.directPage} (HTTP ${page.status}) listed no models`);
      throw new Error(`No model list from LMArena: ${problems.join('; ')}.`);
    } finally {
      lease.release();
    }
  };
}
