import type { JobFailureReason } from '../../shared/worker-protocol.js';
import type { JobEvent, JobStream } from '../types.js';

/** What a {@link SocketJobStream} needs from the connection that carries it. */
export interface JobChannel {
  /** Sends `job-ack` granting `credit` more chunks. */
  sendAck(jobId: string, credit: number): void;
  /** Sends `job-cancel`. */
  sendCancel(jobId: string, reason: string): void;
  /** The job needs no more frames from the agent; the connection forgets it. */
  detach(jobId: string): void;
}

/** Options of {@link SocketJobStream}. */
export interface SocketJobStreamOptions {
  jobId: string;
  /** Chunks the agent may have un-acknowledged (the `window` sent in `job-start`). */
  window: number;
  channel: JobChannel;
  signal: AbortSignal;
}

type Waiter = (result: IteratorResult<JobEvent[], undefined>) => void;

const DONE: IteratorResult<JobEvent[], undefined> = { done: true, value: undefined };

/**
 * The bridge side of one job: a bounded queue of events fed by the socket and drained by one
 * consumer with `for await`. Credit goes back to the agent only when the consumer comes back for
 * more, which proves it has finished with the previous batch; so the agent is never more than
 * `window` chunks ahead of the consumer, and the queue never holds more than `window` chunks.
 */
export class SocketJobStream implements JobStream, AsyncIterator<JobEvent[], undefined> {
  readonly jobId: string;
  readonly #window: number;
  readonly #ackThreshold: number;
  readonly #channel: JobChannel;
  readonly #signal: AbortSignal;
  readonly #onAbort = (): void => this.cancel(abortReason(this.#signal));
  #queue: JobEvent[] = [];
  #queuedChunks = 0;
  /** Chunks in the batch the consumer holds; released at its next pull. */
  #deliveredChunks = 0;
  /** Released chunks not yet acknowledged to the agent (acks are batched). */
  #releasedChunks = 0;
  /** Chunks received and not yet acknowledged: must stay within the window. */
  #outstanding = 0;
  /** No more frames will be taken from the agent (it finished, failed, was cancelled or lost). */
  #remoteDone = false;
  /** The consumer has seen the last event or stopped iterating. */
  #closed = false;
  #waiter: Waiter | null = null;

  constructor(options: SocketJobStreamOptions) {
    this.jobId = options.jobId;
    this.#window = options.window;
    this.#ackThreshold = Math.max(1, Math.ceil(options.window / 2));
    this.#channel = options.channel;
    this.#signal = options.signal;
    options.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** True once the agent has nothing more to send for this job. */
  get finished(): boolean {
    return this.#remoteDone;
  }

  /** Feeds the agent's `job-response`. */
  pushResponse(status: number, headers: Record<string, string>): void {
    if (this.#remoteDone) return;
    this.#enqueue({ type: 'response', status, headers });
  }

  /** Feeds one `job-chunk`; an agent that overruns its credit fails the job rather than growing the queue. */
  pushChunk(data: string): void {
    if (this.#remoteDone) return;
    if (this.#outstanding >= this.#window) {
      this.#channel.sendCancel(this.jobId, 'credit window exceeded');
      this.#terminate({ type: 'error', reason: 'internal', message: `The worker sent more than ${this.#window} unacknowledged chunks for job ${this.jobId}; the job was cancelled.` }, true);
      return;
    }
    this.#outstanding += 1;
    this.#queuedChunks += 1;
    this.#enqueue({ type: 'chunk', data });
  }

  /** Feeds `job-end`. */
  pushEnd(): void {
    if (this.#remoteDone) return;
    this.#terminate({ type: 'end' }, false);
  }

  /** Feeds `job-error`, or the transport's own `worker-lost`. */
  pushError(reason: JobFailureReason | 'worker-lost', message: string): void {
    if (this.#remoteDone) return;
    this.#terminate({ type: 'error', reason, message }, false);
  }

  /** Tells the agent to abort its fetch; the consumer's next pull sees an `aborted` error. */
  cancel(reason: string): void {
    if (this.#remoteDone || this.#closed) return;
    this.#channel.sendCancel(this.jobId, reason);
    this.#terminate({ type: 'error', reason: 'aborted', message: `The job was cancelled: ${reason}.` }, true);
  }

  [Symbol.asyncIterator](): AsyncIterator<JobEvent[], undefined> {
    return this;
  }

  next(): Promise<IteratorResult<JobEvent[], undefined>> {
    if (this.#closed) return Promise.resolve(DONE);
    this.#releaseDelivered();
    if (this.#queue.length > 0) return Promise.resolve(this.#takeBatch());
    if (this.#remoteDone) {
      this.#close();
      return Promise.resolve(DONE);
    }
    if (this.#waiter !== null) return Promise.reject(new Error(`Job ${this.jobId} is already being read by another consumer.`));
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Called when the consumer breaks out of `for await`: the job is cancelled in the page. */
  return(): Promise<IteratorResult<JobEvent[], undefined>> {
    if (!this.#remoteDone) {
      this.#channel.sendCancel(this.jobId, 'consumer stopped reading');
      this.#remoteDone = true;
      this.#channel.detach(this.jobId);
    }
    this.#queue = [];
    this.#close();
    return Promise.resolve(DONE);
  }

  #enqueue(event: JobEvent): void {
    this.#queue.push(event);
    if (this.#waiter !== null) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter(this.#takeBatch());
    }
  }

  #terminate(event: JobEvent, discardQueued: boolean): void {
    this.#remoteDone = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#channel.detach(this.jobId);
    if (discardQueued) {
      this.#queue = [];
      this.#queuedChunks = 0;
    }
    this.#enqueue(event);
  }

  #takeBatch(): IteratorResult<JobEvent[], undefined> {
    const batch = this.#queue;
    this.#queue = [];
    this.#deliveredChunks = this.#queuedChunks;
    this.#queuedChunks = 0;
    return { done: false, value: batch };
  }

  #releaseDelivered(): void {
    if (this.#deliveredChunks === 0) return;
    this.#releasedChunks += this.#deliveredChunks;
    this.#deliveredChunks = 0;
    if (this.#remoteDone || this.#releasedChunks < this.#ackThreshold) return;
    this.#channel.sendAck(this.jobId, this.#releasedChunks);
    this.#outstanding -= this.#releasedChunks;
    this.#releasedChunks = 0;
  }

  #close(): void {
    this.#closed = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (this.#waiter !== null) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter(DONE);
    }
  }
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.message !== '') return reason.message;
  if (typeof reason === 'string' && reason !== '') return reason;
  return 'request aborted';
}
