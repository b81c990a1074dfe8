import { extractModelsFromHtml, parseModelCatalog } from '../arena/index.js';
import { PATHS } from '../arena/constants.js';
import type { ArenaModel } from '../arena/types.js';
import type { WorkerConnection } from '../workers/types.js';
import type { WorkerSource } from './worker-source.js';

/** Fetches the live model list; rejects when no list could be obtained. */
export type ArenaModelFetcher = (signal: AbortSignal) => Promise<ArenaModel[]>;

const MAX_BODY_CHARACTERS = 20 * 1024 * 1024;

/** Performs one GET through a worker and returns status and body text. */
export async function fetchThroughWorker(
  worker: WorkerConnection,
  path: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const job = worker.startJob({ method: 'GET', url: path, headers: { Accept: '*/*' } }, signal);
  let status = 0;
  const parts: string[] = [];
  let size = 0;
  for await (const batch of job) {
    for (const event of batch) {
      if (event.type === 'response') status = event.status;
      else if (event.type === 'chunk') {
        size += event.data.length;
        if (size > MAX_BODY_CHARACTERS) {
          job.cancel('model list too large');
          throw new Error(`${path} answered more than ${MAX_BODY_CHARACTERS} characters`);
        }
        parts.push(event.data);
      } else if (event.type === 'error') throw new Error(`${path} failed in the worker: ${event.reason}: ${event.message}`);
    }
  }
  return { status, body: parts.join('') };
}

/**
 * The live model list through a worker: the public catalog (`/nextjs-api/model-catalog`, §9.2),
 * falling back to the flight data of `/text/direct` (§9.1) when the catalog fails or is empty.
 */
export function createArenaModelFetcher(workers: WorkerSource): ArenaModelFetcher {
  return async (signal) => {
    const lease = await workers.acquire({ signal });
    try {
      const problems: string[] = [];
      try {
        const catalog = await fetchThroughWorker(lease.worker, PATHS.modelCatalog, signal);
        if (catalog.status >= 200 && catalog.status < 300) {
          const models = parseModelCatalog(JSON.parse(catalog.body) as unknown);
          if (models.length > 0) return models;
          problems.push('the model catalog was empty');
        } else problems.push(`the model catalog answered HTTP ${catalog.status}`);
      } catch (error) {
        if (signal.aborted) throw error;
        problems.push(`the model catalog failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const page = await fetchThroughWorker(lease.worker, PATHS.directPage, signal);
      const models = page.status >= 200 && page.status < 300 ? extractModelsFromHtml(page.body) : undefined;
      if (models && models.length > 0) return models;
      problems.push(`${PATHS.directPage} (HTTP ${page.status}) listed no models`);
      throw new Error(`No model list from LMArena: ${problems.join('; ')}.`);
    } finally {
      lease.release();
    }
  };
}
