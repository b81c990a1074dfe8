import type { WorkerConnection } from '../types.js';

/** The `pageToken` a worker's hello carried, when its connection exposes one (SocketWorker does). */
export function pageTokenOf(worker: WorkerConnection): string | undefined {
  if (!('pageToken' in worker)) return undefined;
  return typeof worker.pageToken === 'string' ? worker.pageToken : undefined;
}
