import type { JobRequest } from '../../shared/worker-protocol.js';
import type { WorkerConnection } from '../../workers/types.js';

/** The complete answer of one small exchange performed in a page. */
export interface WorkerJobResult {
  status: number;
  body: string;
}

/** Thrown when the page could not perform the exchange at all (network, challenge, lost worker). */
export class WorkerJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerJobError';
  }
}

/**
 * Runs one exchange through a worker and collects the whole body as text, capped at
 * `maxCharacters` (server-action answers and pages are small; the cap stops a wrong URL from
 * making the bridge buffer an unbounded body).
 */
export async function runWorkerJob(
  worker: WorkerConnection,
  request: JobRequest,
  signal: AbortSignal,
  maxCharacters = 20 * 1024 * 1024,
): Promise<WorkerJobResult> {
  const job = worker.startJob(request, signal);
  let status = 0;
  let size = 0;
  const parts: string[] = [];
  for await (const batch of job) {
    for (const event of batch) {
      if (event.type === 'response') status = event.status;
      else if (event.type === 'chunk') {
        size += event.data.length;
        if (size > maxCharacters) {
          job.cancel('answer too large');
          throw new WorkerJobError(`${request.method} ${shortUrl(request.url)} answered more than ${maxCharacters} characters.`);
        }
        parts.push(event.data);
      } else if (event.type === 'error') {
        throw new WorkerJobError(`${request.method} ${shortUrl(request.url)} failed in the worker (${event.reason}): ${event.message}`);
      }
    }
  }
  return { status, body: parts.join('') };
}

/** A URL without its query, so signatures never reach messages or logs. */
export function shortUrl(url: string): string {
  return url.split('?', 1)[0] ?? url;
}
