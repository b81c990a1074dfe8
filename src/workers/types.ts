/**
 * What a browser worker looks like to core: one in-page agent (userscript tab or our Chromium
 * page) connected over the worker protocol. Transports implement {@link WorkerConnection}; the
 * pool in src/core owns selection, queueing and health.
 */
import type { JobFailureReason, JobRequest, PageState } from '../shared/worker-protocol.js';

/** Where an agent runs. */
export type WorkerKind = 'userscript' | 'browser';

/** One piece of a job's upstream exchange, as the agent reported it. */
export type JobEvent =
  | { type: 'response'; status: number; headers: Record<string, string> }
  | { type: 'chunk'; data: string }
  | { type: 'end' }
  | { type: 'error'; reason: JobFailureReason | 'worker-lost'; message: string };

/**
 * A running job. Pull-based: `next()` resolves with every event queued since the last pull (at
 * least one); the transport grants the agent more credit only as events are pulled, so a slow
 * consumer stops the page from reading upstream. The stream ends after an `end` or `error` event.
 * `cancel()` (or aborting the signal given to `startJob`) tells the agent to abort its fetch.
 */
export interface JobStream extends AsyncIterable<JobEvent[]> {
  readonly jobId: string;
  cancel(reason: string): void;
}

/** A snapshot for /health and the pool (no secrets). */
export interface WorkerSnapshot {
  id: string;
  kind: WorkerKind;
  page: PageState;
  activeJobs: number;
  maxConcurrency: number;
  connectedAt: number;
  lastHeartbeatAt: number;
  agentVersion: string;
}

/** A connected agent. */
export interface WorkerConnection {
  readonly id: string;
  readonly kind: WorkerKind;
  /** Latest page state reported by the agent. */
  readonly page: PageState;
  readonly activeJobs: number;
  /** Jobs the page may run at once now; it follows the page state (the protocol its document came over). */
  readonly maxConcurrency: number;
  readonly connectedAt: number;
  readonly lastHeartbeatAt: number;
  readonly closed: boolean;
  /** Starts one upstream exchange in the page. */
  startJob(request: JobRequest, signal: AbortSignal): JobStream;
  /** Asks the agent to reload its page (e.g. to pass a Cloudflare challenge). */
  reloadPage(reason: string): void;
  /** Arms or disarms id capture of the site's own Retry request. */
  armCapture(armed: boolean): void;
  snapshot(): WorkerSnapshot;
}

/** Events a transport reports to the pool. */
export interface WorkerRegistry {
  /** A worker completed its hello and may take jobs. */
  add(worker: WorkerConnection): void;
  /** A worker's socket closed; its running jobs have already been failed with `worker-lost`. */
  remove(worker: WorkerConnection): void;
  /** The agent reported a new page state (challenge appeared/cleared, signed in, …). */
  pageChanged(worker: WorkerConnection): void;
  /** The agent captured ids from the site's own Retry request. */
  idsCaptured(worker: WorkerConnection, ids: { sessionId: string; messageId: string }): void;
  /**
   * The bridge is about to reload or restart the worker's page (`true`): give it no new jobs; the
   * ones running may finish. `false` when that is over and the same connection is still there.
   */
  recovering(worker: WorkerConnection, recovering: boolean): void;
}
