import { startSharedTask, type SharedTask } from './shared-task.js';
import { extractActionIds, findEvaluationChunkPaths } from '../../arena/index.js';
import type { ServerActionName } from '../../arena/constants.js';
import type { WorkerConnection } from '../../workers/types.js';
import { runWorkerJob } from '../pool/run-worker-job.js';

/** Server-action ids by name, discovered from the site's chunks (§8.3) and cached. */
export interface ActionIdCache {
  /** The id of `name`; discovers the ids through `worker` when none are cached. */
  get(name: ServerActionName, worker: WorkerConnection, signal: AbortSignal): Promise<string>;
  /** Forgets the cached ids (a server action answered "not found": a new site build). */
  invalidate(): void;
}

/** The page whose flight data lists the chunks (§8.3 method 1). @default '/' */
const DISCOVERY_PAGE = '/';

/**
 * Discovers ids the way g4f and lmarena_client do: GET the page through a worker, take the chunk
 * paths of the `Evaluation` import rows, GET each chunk and read `createServerReference(...)`
 * pairs. Concurrent callers share one discovery.
 */
export function createActionIdCache(): ActionIdCache {
  let cached: Partial<Record<string, string>> | undefined;
  let pending: { task: SharedTask<Partial<Record<string, string>>>; worker: WorkerConnection } | undefined;

  async function discover(worker: WorkerConnection, signal: AbortSignal): Promise<Partial<Record<string, string>>> {
    const page = await runWorkerJob(worker, { method: 'GET', url: DISCOVERY_PAGE, headers: { Accept: 'text/html' } }, signal);
    if (page.status < 200 || page.status >= 300) throw new Error(`the page ${DISCOVERY_PAGE} answered HTTP ${page.status}`);
    const paths = findEvaluationChunkPaths(page.body);
    if (paths.length === 0) throw new Error(`the page ${DISCOVERY_PAGE} lists no "Evaluation" chunks`);
    const ids: Partial<Record<string, string>> = {};
    for (const path of paths) {
      const chunk = await runWorkerJob(worker, { method: 'GET', url: path, headers: { Accept: '*/*' } }, signal);
      if (chunk.status < 200 || chunk.status >= 300) continue;
      for (const [name, id] of Object.entries(extractActionIds(chunk.body))) ids[name] ??= id;
    }
    return ids;
  }

  /** The discovery running now, or a new one through `worker`. */
  function shared(worker: WorkerConnection): NonNullable<typeof pending> {
    if (pending !== undefined) return pending;
    const started = {
      worker,
      task: startSharedTask((signal) =>
        discover(worker, signal).finally(() => {
          if (pending === started) pending = undefined;
        }),
      ),
    };
    pending = started;
    return started;
  }

  async function discoverFor(worker: WorkerConnection, signal: AbortSignal): Promise<Partial<Record<string, string>>> {
    // One discovery for everyone waiting; a caller leaving does not fail it for the others.
    const joined = shared(worker);
    try {
      return await joined.task.join(signal);
    } catch (error) {
      // It ran on another caller's page: that page failing (lost, challenged) says nothing about
      // this caller's, so this caller tries once through its own.
      if (signal.aborted || joined.worker === worker) throw error;
      return shared(worker).task.join(signal);
    }
  }

  return {
    async get(name, worker, signal) {
      if (cached?.[name] === undefined) cached = await discoverFor(worker, signal);
      const id = cached[name];
      if (id === undefined) throw new Error(`the site's chunks do not reference the server action "${name}"`);
      return id;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
