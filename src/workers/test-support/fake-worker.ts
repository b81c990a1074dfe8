/**
 * The one {@link WorkerConnection} double for tests: an agent whose page state, capacity and jobs
 * the test decides. A job runs a {@link JobScript}, pulled one batch per `next()` as a real job is
 * (a slow consumer holds the script back, as the credit window holds back a page). The worker
 * records every job, whether it was cancelled, page reloads and capture arming.
 */
import type { JobRequest, PageState } from '../../shared/worker-protocol.js';
import type { JobEvent, JobStream, WorkerConnection, WorkerKind, WorkerSnapshot } from '../types.js';

/** What a job does: the event batches it reports, given the request and a signal aborted on cancel. */
export type JobScript = (request: JobRequest, signal: AbortSignal) => AsyncIterable<JobEvent[]>;

/** One step of a scripted job: a batch of events, delivered after an optional delay. */
export interface ScriptStep {
  events: JobEvent[];
  /** Wait this long (cut short by a cancel) before delivering the batch. @default 0 */
  delayMs?: number;
}

/** A job the worker ran, for assertions. */
export interface FakeJob {
  request: JobRequest;
  /** True once the job was cancelled (signal, `cancel()` or the consumer leaving) before it ended. */
  cancelled: boolean;
}

/** How a {@link FakeWorker} looks to the pool; everything is optional. */
export interface FakeWorkerOptions {
  /** @default 'userscript' */
  kind?: WorkerKind;
  /** @default READY_PAGE */
  page?: PageState;
  /** @default 8 */
  maxConcurrency?: number;
  /** @default a script that throws: the worker runs no jobs */
  script?: JobScript;
}

/** An anonymous arena page, ready for jobs. */
export const READY_PAGE: PageState = {
  url: 'https://arena.ai/',
  origin: 'https://arena.ai',
  title: 'Arena',
  challenge: false,
  recaptchaReady: true,
  siteKey: null,
  auth: 'anonymous',
  email: null,
  identity: null,
};

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

function runsNoJobs(): never {
  throw new Error('This FakeWorker runs no jobs (give it a script)');
}

/**
 * Jobs that replay scripts, one script per job in order; a job past the last script ends at once.
 * @example new FakeWorker('w', { script: replayJobs([[{ events: [{ type: 'end' }] }]]) })
 */
export function replayJobs(scripts: ScriptStep[][]): JobScript {
  const queue = [...scripts];
  return (_request, signal) => replaySteps(queue.shift() ?? [], signal);
}

async function* replaySteps(steps: ScriptStep[], signal: AbortSignal): AsyncGenerator<JobEvent[]> {
  for (const step of steps) {
    if (step.delayMs) await abortableDelay(step.delayMs, signal);
    if (signal.aborted) return;
    yield step.events;
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * A worker double. `page`, `maxConcurrency` and `closed` are for the test to change; `jobs`, `reloads` and `arms`
 * record what the bridge asked of it.
 * @example new FakeWorker('a', { maxConcurrency: 1 })
 */
export class FakeWorker implements WorkerConnection {
  readonly id: string;
  readonly kind: WorkerKind;
  readonly connectedAt = 0;
  readonly lastHeartbeatAt = 0;
  /** A test may change it (with `pool.pageChanged`), as a page reloaded onto another protocol does. */
  maxConcurrency: number;
  readonly jobs: FakeJob[] = [];
  readonly reloads: string[] = [];
  readonly arms: boolean[] = [];
  page: PageState;
  closed = false;
  activeJobs = 0;
  /** What the next jobs do; a test (or a subclass) may replace it. */
  script: JobScript;

  constructor(id: string, options: FakeWorkerOptions = {}) {
    this.id = id;
    this.kind = options.kind ?? 'userscript';
    this.page = options.page ?? READY_PAGE;
    this.maxConcurrency = options.maxConcurrency ?? 8;
    this.script = options.script ?? runsNoJobs;
  }

  /** The requests of every job so far, in order. */
  get requests(): JobRequest[] {
    return this.jobs.map((job) => job.request);
  }

  startJob(request: JobRequest, signal: AbortSignal): JobStream {
    const controller = new AbortController();
    const batches = this.script(request, controller.signal)[Symbol.asyncIterator]();
    const job: FakeJob = { request, cancelled: false };
    this.jobs.push(job);
    this.activeJobs += 1;
    let ended = false;
    // A cancel ends the job at once; the consumer's next pull still sees it as an `aborted` error.
    let abortNotice: string | null = null;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.activeJobs -= 1;
      signal.removeEventListener('abort', onAbort);
    };
    const cancel = (reason: string): void => {
      if (ended) return;
      job.cancelled = true;
      abortNotice = reason;
      end();
      controller.abort(new Error(reason));
    };
    const onAbort = (): void => cancel('signal aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const afterEnd = (): IteratorResult<JobEvent[]> => {
      const message = abortNotice;
      abortNotice = null;
      return message === null ? DONE : { done: false, value: [{ type: 'error', reason: 'aborted', message }] };
    };
    return {
      jobId: `${this.id}-job-${this.jobs.length}`,
      cancel,
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<JobEvent[]>> => {
          if (ended) return afterEnd();
          const result = await batches.next();
          if (ended) return afterEnd();
          if (result.done) {
            end();
            return DONE;
          }
          if (result.value.some((event) => event.type === 'end' || event.type === 'error')) end();
          return result;
        },
        return: async (): Promise<IteratorResult<JobEvent[]>> => {
          cancel('consumer stopped');
          abortNotice = null;
          return DONE;
        },
      }),
    };
  }

  reloadPage(reason: string): void {
    this.reloads.push(reason);
  }

  armCapture(armed: boolean): void {
    this.arms.push(armed);
  }

  snapshot(): WorkerSnapshot {
    return {
      id: this.id, kind: this.kind, page: this.page, activeJobs: this.activeJobs, maxConcurrency: this.maxConcurrency,
      connectedAt: this.connectedAt, lastHeartbeatAt: this.lastHeartbeatAt, agentVersion: 'test',
    };
  }
}
