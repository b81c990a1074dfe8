/**
 * Test doubles for the core integration tests: a WorkerConnection that performs jobs with Node's
 * fetch against the fake LMArena (minting reCAPTCHA tokens from the fake, as the in-page agent
 * would from grecaptcha), and a tiny WorkerSource that records what core reports.
 */
import { AUTH_COOKIE } from '../../../src/arena/constants.js';
import type { WorkerLease, WorkerOutcome, WorkerSource } from '../../../src/core/worker-source.js';
import { NoWorkerAvailableError } from '../../../src/core/errors/index.js';
import type { JobRequest, PageState } from '../../../src/shared/worker-protocol.js';
import type { JobEvent, JobStream, WorkerConnection, WorkerSnapshot } from '../../../src/workers/types.js';

/** What the worker needs from the fake. */
export interface TokenMinter {
  mintToken(request: { action?: string; version?: 'v3' | 'v2' }): string;
}

/** A job the worker ran, for assertions. */
export interface JobRecord {
  request: JobRequest;
  cancelled: boolean;
}

function identityOf(cookieValue: string | undefined): string | null {
  if (!cookieValue?.startsWith('base64-')) return null;
  try {
    const session = JSON.parse(Buffer.from(cookieValue.slice('base64-'.length), 'base64').toString('utf8')) as { user?: { id?: string } };
    return session.user?.id ?? null;
  } catch {
    return null;
  }
}

/** A WorkerConnection backed by fetch; each instance has its own cookie jar, hence identity. */
export class HttpWorker implements WorkerConnection {
  readonly id: string;
  readonly kind = 'browser' as const;
  readonly connectedAt = Date.now();
  readonly lastHeartbeatAt = Date.now();
  readonly jobs: JobRecord[] = [];
  page: PageState;
  activeJobs = 0;
  closed = false;
  /** Fail the next N jobs with `worker-lost` after the response line. */
  loseNextJobs = 0;
  readonly #origin: string;
  readonly #minter: TokenMinter;
  readonly #cookies = new Map<string, string>();

  private constructor(id: string, origin: string, minter: TokenMinter) {
    this.id = id;
    this.#origin = origin;
    this.#minter = minter;
    this.page = {
      url: `${origin}/`, origin, title: 'Arena', challenge: false, recaptchaReady: true,
      siteKey: null, auth: 'anonymous', email: null, identity: null,
    };
  }

  /** Opens the site once (as a page load would) to obtain the fake's identity cookies. */
  static async connect(id: string, origin: string, minter: TokenMinter): Promise<HttpWorker> {
    const worker = new HttpWorker(id, origin, minter);
    const response = await fetch(`${origin}/`, { redirect: 'manual' });
    worker.#store(response);
    await response.text();
    worker.page = { ...worker.page, identity: identityOf(worker.#cookies.get(AUTH_COOKIE)) };
    return worker;
  }

  #store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const index = pair.indexOf('=');
      if (index > 0) this.#cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
  }

  startJob(request: JobRequest, signal: AbortSignal): JobStream {
    const record: JobRecord = { request, cancelled: false };
    this.jobs.push(record);
    this.activeJobs += 1;
    const controller = new AbortController();
    const queue: JobEvent[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    const push = (event: JobEvent): void => {
      if (finished) return;
      if (event.type === 'end' || event.type === 'error') {
        finished = true;
        this.activeJobs -= 1;
      }
      queue.push(event);
      wake?.();
    };
    const cancel = (reason: string): void => {
      if (finished) return;
      record.cancelled = true;
      controller.abort();
      push({ type: 'error', reason: 'aborted', message: reason });
    };
    signal.addEventListener('abort', () => cancel('signal aborted'), { once: true });
    const lose = this.loseNextJobs > 0;
    if (lose) this.loseNextJobs -= 1;
    void this.#perform(request, controller.signal, push, lose);

    const stream: JobStream = {
      jobId: `job-${this.jobs.length}`,
      cancel,
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<JobEvent[]>> => {
          while (queue.length === 0) {
            if (finished) return { done: true, value: undefined };
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          return { done: false, value: queue.splice(0) };
        },
        return: async (): Promise<IteratorResult<JobEvent[]>> => {
          cancel('consumer stopped');
          return { done: true, value: undefined };
        },
      }),
    };
    return stream;
  }

  async #perform(request: JobRequest, signal: AbortSignal, push: (event: JobEvent) => void, lose: boolean): Promise<void> {
    try {
      let body: string | undefined;
      if (request.body?.kind === 'json') {
        const value = { ...(request.body.value as Record<string, unknown>) };
        if (request.recaptcha) {
          value[request.recaptcha.field] = this.#minter.mintToken({ action: request.recaptcha.action, version: request.recaptcha.version });
        }
        body = JSON.stringify(value);
      } else if (request.body?.kind === 'text') body = request.body.value;
      const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetch(new URL(request.url, this.#origin), {
        method: request.method, headers: { ...request.headers, cookie }, body, signal, redirect: 'manual',
      });
      this.#store(response);
      push({ type: 'response', status: response.status, headers: Object.fromEntries(response.headers) });
      if (lose) {
        await response.body?.cancel();
        push({ type: 'error', reason: 'worker-lost', message: 'test: socket closed' });
        return;
      }
      const decoder = new TextDecoder();
      const reader = response.body?.getReader();
      for (;;) {
        const next = reader ? await reader.read() : { done: true as const, value: undefined };
        if (next.done) break;
        const data = decoder.decode(next.value, { stream: true });
        if (data !== '') push({ type: 'chunk', data });
      }
      const tail = decoder.decode();
      if (tail !== '') push({ type: 'chunk', data: tail });
      push({ type: 'end' });
    } catch (error) {
      const aborted = signal.aborted;
      push({ type: 'error', reason: aborted ? 'aborted' : 'network', message: error instanceof Error ? error.message : String(error) });
    }
  }

  reloadPage(): void {}
  armCapture(): void {}

  snapshot(): WorkerSnapshot {
    return {
      id: this.id, kind: this.kind, page: this.page, activeJobs: this.activeJobs, maxConcurrency: 4,
      connectedAt: this.connectedAt, lastHeartbeatAt: this.lastHeartbeatAt, agentVersion: 'test',
    };
  }
}

/** A minimal pool: first eligible worker in order; records outcomes and lease balance. */
export class TestWorkerSource implements WorkerSource {
  readonly outcomes: Array<{ worker: string; outcome: WorkerOutcome }> = [];
  readonly leased = new Map<string, number>();
  readonly served: string[] = [];
  readonly held = new Set<string>();
  readonly workers: HttpWorker[];

  constructor(workers: HttpWorker[]) {
    this.workers = workers;
  }

  get size(): number {
    return this.workers.length;
  }

  async acquire(options: { signal: AbortSignal; filter?: (worker: WorkerConnection) => boolean; exclude?: ReadonlySet<string> }): Promise<WorkerLease> {
    const worker = this.workers.find(
      (candidate) => !this.held.has(candidate.id) && !options.exclude?.has(candidate.id) && (options.filter?.(candidate) ?? true),
    );
    if (!worker) throw new NoWorkerAvailableError('No test worker is eligible.');
    this.leased.set(worker.id, (this.leased.get(worker.id) ?? 0) + 1);
    this.served.push(worker.id);
    let released = false;
    return {
      worker,
      release: () => {
        if (released) return;
        released = true;
        this.leased.set(worker.id, (this.leased.get(worker.id) ?? 0) - 1);
      },
    };
  }

  reportOutcome(worker: WorkerConnection, outcome: WorkerOutcome): void {
    this.outcomes.push({ worker: worker.id, outcome });
    if (outcome.kind === 'challenge' || outcome.kind === 'rate-limited') this.held.add(worker.id);
  }

  snapshot() {
    return { workers: this.workers.map((worker) => ({ ...worker.snapshot(), held: this.held.has(worker.id) ? 'held' : null })) };
  }

  /** Leases not yet released, over all workers. */
  outstanding(): number {
    return [...this.leased.values()].reduce((sum, count) => sum + count, 0);
  }
}
