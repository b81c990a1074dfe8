import { isArenaInputError, isRetryableBeforeOutput } from '../../arena/index.js';
import type { ArenaErrorKind } from '../../arena/types.js';
import type { Logger } from '../../observability/logger.js';
import type { WorkerConnection } from '../../workers/types.js';
import type { AnswerBatchRewriter } from '../attachments/save-generated-images.js';
import { AnswerText } from '../chat/answer-content.js';
import type { ChatServiceOptions } from '../chat/chat-service-options.js';
import type { AnswerEvent } from '../chat/chat-types.js';
import type { RequestMeter } from '../chat/request-meter.js';
import type { BuiltIds, RequestPlan } from '../conversation/conversation-plan.js';
import { ClientAbortError, InvalidRequestError, UpstreamError, UpstreamTimeoutError, isBridgeError, type BridgeError } from '../errors/index.js';
import type { RestingIdPicker } from '../captured-ids/resting-id-picker.js';
import type { WorkerLease, WorkerPool } from '../pool/pool-types.js';
import { outcomeOf, toBridgeError, type ExchangeFailure } from './exchange-failure.js';
import { readUpstreamAnswer, type UpstreamAnswer } from './upstream-answer.js';

/** What {@link Exchange.open} needs. */
export interface ExchangeInput {
  /** Plans the request: once, and again after the captured Gen A entry it replayed was rested. */
  plan(): RequestPlan;
  /** The requested model (the key of the captured-ids pool). */
  model: string;
  workers: Pick<WorkerPool, 'acquire' | 'reportOutcome' | 'observeBudget' | 'alternatives' | 'accountHeld'>;
  genAIds: Pick<RestingIdPicker, 'rest'>;
  options: Pick<ChatServiceOptions, 'firstTokenTimeoutMs' | 'idleTimeoutMs' | 'retryAttempts'>;
  /** The request's signal: aborting it cancels the job, down to the page's fetch, and frees the worker. */
  signal: AbortSignal;
  logger: Logger;
  meter: RequestMeter;
  /** Rewrites each batch before it is handed out and recorded (local copies of generated images). */
  rewrite?: AnswerBatchRewriter;
  /** Called once when the answer finished normally, before its finish is handed out. */
  onComplete(answer: CompletedAnswer): void;
}

/** An answer that finished normally: what the conversation map remembers. */
export interface CompletedAnswer {
  /** The content exactly as the client received it (it keys the client's next turn). */
  text: string;
  plan: RequestPlan;
  ids: BuiltIds;
  worker: WorkerConnection;
}

/**
 * Re-mints once on the same worker, with the v2 challenge (§6.4). A second refusal is the account's,
 * not the token's (§15.4): the pool holds the account and the request goes to another account.
 */
const RECAPTCHA_SAME_WORKER_RETRIES = 1;
/** Failures that say a captured Gen A session itself is unusable, not the worker or the moment. */
const UNHEALTHY_SESSION_KINDS: ReadonlySet<ArenaErrorKind> = new Set(['session-access-denied', 'not-found', 'bad-request']);
/** Other captured entries tried after one was rested, per request. */
const MAX_REPLANS = 2;

/**
 * One chat request's exchange with the arena, from the first attempt to the last event:
 *
 * 1. {@link Exchange.open} attempts the plan until the first output: a worker from the pool, a
 *    request with fresh ids, the job read through the stream parser. A failure before any output is
 *    reported to the pool and decides the next attempt (the same worker with a v2 token, the other
 *    mode spelling, another worker, the conversation carried into a new evaluation, the next
 *    captured entry) within `retryAttempts` and `firstTokenTimeoutMs`.
 * 2. The exchange is then the answer's pull-based event iterator. Each `next()` reads at most until
 *    one non-empty batch. After the finish the rest of the body is drained and the answer stored
 *    (`onComplete`) before the finish batch is handed out, so a client's next turn finds it.
 * 3. The worker is released exactly once: on finish, on failure, on `return()` (the consumer broke
 *    out) or when the request's signal aborts, even if nobody pulls.
 *
 * Failures stay typed ({@link ExchangeFailure}) inside and become a BridgeError once, where they
 * leave the exchange. The request's meter hears its first output and how it ended.
 */
export class Exchange implements AsyncIterableIterator<AnswerEvent[]> {
  /** Attempts the request until its first output; rejects with a BridgeError when it gives up. */
  static async open(input: ExchangeInput): Promise<Exchange> {
    const exchange = new Exchange(input);
    await exchange.#untilFirstOutput();
    return exchange;
  }

  readonly #input: ExchangeInput;
  readonly #content = new AnswerText();
  readonly #onAbort = (): void => this.#close('client cancelled');
  #attempts = 0;
  // Set by the attempt that produced the first output.
  #plan!: RequestPlan;
  #ids!: BuiltIds;
  #lease!: WorkerLease;
  #upstream!: UpstreamAnswer;
  #job!: AbortController;
  #pending: AnswerEvent[] = [];
  #finished = false;
  #closed = false;
  #shown = false;

  private constructor(input: ExchangeInput) {
    this.#input = input;
  }

  /** The plan that produced the answer (a fallback or a switched mode, when one was taken). */
  get plan(): RequestPlan {
    return this.#plan;
  }

  /** The ids of the request that produced the answer. */
  get ids(): BuiltIds {
    return this.#ids;
  }

  /** The worker serving the answer. */
  get worker(): WorkerConnection {
    return this.#lease.worker;
  }

  /** Attempts made, the one that produced the output included. */
  get attempts(): number {
    return this.#attempts;
  }

  // ---- 1. until the first output ----------------------------------------------------------------

  async #untilFirstOutput(): Promise<void> {
    const { options, signal } = this.#input;
    // A plain timer cleared on return rather than AbortSignal.timeout/any: those keep every
    // request's signal graph alive until the deadline passes, long after the request is done.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.firstTokenTimeoutMs);
    const onAbort = (): void => deadline.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) deadline.abort();
    try {
      await this.#attemptUntilOutput(deadline.signal);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    signal.addEventListener('abort', this.#onAbort, { once: true });
    if (signal.aborted) this.#close('client cancelled');
  }

  async #attemptUntilOutput(deadline: AbortSignal): Promise<void> {
    const { workers, options, logger, signal } = this.#input;
    let plan = this.#input.plan();
    await prepare(plan, deadline);
    let tried = new Set<string>();
    let planAttempts = 0;
    let version: 'v3' | 'v2' = 'v3';
    let reminted = 0;
    let modeSwitched = false;
    let replans = 0;
    /** The next attempt stays on this worker (a re-mint, the other mode spelling). */
    let kept: WorkerLease | undefined;
    let lastError: BridgeError | undefined;

    const stopped = (): BridgeError | undefined => {
      if (signal.aborted) return new ClientAbortError('The client cancelled the request.');
      if (!deadline.aborted) return undefined;
      const seconds = Math.round(options.firstTokenTimeoutMs / 1000);
      const last = lastError ? ` Last failure: ${lastError.message}` : '';
      return new UpstreamTimeoutError(`LMArena produced no output within ${seconds} seconds (first_token_timeout_seconds) after ${this.#attempts} attempt(s).${last}`);
    };
    const carryOn = async (next: RequestPlan): Promise<void> => {
      plan = next;
      await prepare(plan, deadline);
    };

    while (planAttempts < options.retryAttempts || kept) {
      if (!kept) {
        planAttempts += 1;
        this.#attempts += 1;
      }
      let lease: WorkerLease;
      try {
        // Tried workers are skipped only while another one is connected: a lone worker is waited for.
        const exclude = tried.size > 0 && workers.alternatives(tried) !== 'none' ? tried : undefined;
        lease = kept ?? (await workers.acquire({ signal: deadline, filter: plan.filter, exclude }));
      } catch (error) {
        throw stopped() ?? error;
      }
      kept = undefined;
      const failure = await this.#attempt(plan, lease, version, deadline);
      if (failure === undefined) return;

      const stop = stopped();
      if (stop) {
        lease.release();
        throw stop;
      }
      const outcome = outcomeOf(failure);
      if (outcome) workers.reportOutcome(lease.worker, outcome);
      lastError = toBridgeError(failure, options.idleTimeoutMs);
      logger.debug('Attempt failed before output', { attempt: this.#attempts, worker: lease.worker.id, failure: lastError.message });
      const kind = failure.kind === 'arena' ? failure.error.kind : undefined;

      // §15.1: the site moved between "direct" and "direct-battle"; not the request's fault.
      if (kind === 'mode-not-allowed' && plan.switchMode && !modeSwitched) {
        modeSwitched = true;
        plan = plan.switchMode();
        kept = lease;
        continue;
      }
      if (kind === 'recaptcha-rejected') {
        const accountHeld = workers.accountHeld(lease.worker);
        if (reminted < RECAPTCHA_SAME_WORKER_RETRIES && !accountHeld) {
          reminted += 1;
          version = 'v2';
          kept = lease;
          continue;
        }
        // Re-minted on this page and still refused: another page, or another account, may be trusted.
        lease.release();
        tried.add(lease.worker.id);
        reminted = 0;
        version = 'v3';
        // A continuation bound to the held account: carry the conversation on elsewhere.
        if (accountHeld && plan.fallback) await carryOn(plan.fallback());
        // A held account's request goes back to the pool, which answers for the hold (503) at once.
        else if (!accountHeld && workers.alternatives(tried) === 'none') throw lastError;
        continue;
      }
      lease.release();
      if (plan.genAIds !== undefined && kind !== undefined && UNHEALTHY_SESSION_KINDS.has(kind)) {
        // The captured session itself is unusable: rest it and replay on the pool's next entry.
        this.#input.genAIds.rest(this.#input.model, plan.genAIds, kind);
        if (replans >= MAX_REPLANS) throw lastError;
        replans += 1;
        planAttempts = 0;
        tried = new Set();
        await carryOn(this.#input.plan());
        continue;
      }
      if (kind === 'session-access-denied' && plan.fallback) {
        await carryOn(plan.fallback());
        continue;
      }
      if (kind === 'rate-limited') {
        tried.add(lease.worker.id);
        if (workers.alternatives(tried) !== 'free') throw lastError;
        continue;
      }
      if (kind === 'challenge') {
        tried.add(lease.worker.id);
        continue;
      }
      if (failure.kind === 'arena' && !isRetryableBeforeOutput(failure.error)) throw lastError;
      if (failure.kind === 'job') {
        if (failure.reason === 'bad-request' || failure.reason === 'aborted') throw lastError;
        tried.add(lease.worker.id);
      }
    }
    throw lastError ?? new UpstreamError('The request could not be started.');
  }

  /** One attempt on one worker: undefined once the first output arrived (the exchange then owns lease and job). */
  async #attempt(plan: RequestPlan, lease: WorkerLease, version: 'v3' | 'v2', deadline: AbortSignal): Promise<ExchangeFailure | undefined> {
    const { workers, options } = this.#input;
    const job = new AbortController();
    const abortJob = (): void => job.abort();
    deadline.addEventListener('abort', abortJob, { once: true });
    if (deadline.aborted) job.abort();
    let upstream: UpstreamAnswer | undefined;
    let started = false;
    const observeBudget = (): void => {
      if (upstream?.budget !== undefined) workers.observeBudget(lease.worker, upstream.budget);
    };
    try {
      const built = plan.build(version);
      upstream = readUpstreamAnswer(lease.worker.startJob(built.request, job.signal), plan.side, options.idleTimeoutMs);
      for (;;) {
        const result = await upstream.read();
        if (result.type === 'failure') {
          observeBudget();
          return result.failure;
        }
        // The parser reports a body without output as a failure, so this is a bug, not upstream.
        if (result.type === 'end') throw new UpstreamError('The answer ended without output or failure.', { code: 'internal_error' });
        if (result.events.length === 0) continue;
        started = true;
        this.#plan = plan;
        this.#ids = built.ids;
        this.#lease = lease;
        this.#upstream = upstream;
        this.#job = job;
        this.#pending = result.events;
        this.#finished = result.finished;
        workers.reportOutcome(lease.worker, { kind: 'served' });
        observeBudget();
        return undefined;
      }
    } catch (error) {
      lease.release();
      // The builders validate ids and mode/model combinations (e.g. malformed captured Gen A ids).
      if (isArenaInputError(error)) throw new InvalidRequestError(`The arena request could not be built: ${error.message}`, { cause: error });
      if (isBridgeError(error)) throw error;
      throw new UpstreamError(`The bridge failed to start the request: ${error instanceof Error ? error.message : String(error)}`, { code: 'internal_error', cause: error });
    } finally {
      deadline.removeEventListener('abort', abortJob);
      if (!started) upstream?.cancel('attempt failed');
    }
  }

  // ---- 2. the answer's events -------------------------------------------------------------------

  next(): Promise<IteratorResult<AnswerEvent[]>> {
    return this.#next();
  }

  async return(): Promise<IteratorResult<AnswerEvent[]>> {
    // The consumer stopped before the end: the client left (or its connection failed).
    this.#input.meter.end('client_closed_request');
    this.#close('consumer stopped');
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async #next(): Promise<IteratorResult<AnswerEvent[]>> {
    const { signal } = this.#input;
    if (this.#pending.length > 0) {
      const batch = this.#input.rewrite ? await this.#rewrite(this.#pending) : this.#record(this.#pending);
      this.#pending = [];
      if (this.#finished) await this.#complete();
      return this.#out(batch);
    }
    if (this.#closed || this.#finished) {
      if (signal.aborted && !this.#finished) this.#fail(new ClientAbortError('The client cancelled the request.'));
      return this.#done();
    }
    for (;;) {
      const result = await this.#upstream.read();
      if (signal.aborted) this.#fail(new ClientAbortError('The client cancelled the request.'));
      if (result.type === 'end') {
        this.#close('ended');
        return this.#done();
      }
      if (result.type === 'failure') {
        const outcome = outcomeOf(result.failure);
        if (outcome) this.#input.workers.reportOutcome(this.#lease.worker, outcome);
        this.#fail(toBridgeError(result.failure, this.#input.options.idleTimeoutMs));
      }
      const batch = this.#input.rewrite ? await this.#rewrite(result.events) : this.#record(result.events);
      if (result.finished) {
        this.#finished = true;
        await this.#complete();
      }
      if (batch.length > 0) return this.#out(batch);
      if (this.#finished) return this.#done();
    }
  }

  // A batch on its way out is recorded as the client will see it, after any rewrite. Without a
  // rewrite (the usual case) it costs no extra await on its way to the client.
  #record(batch: AnswerEvent[]): AnswerEvent[] {
    for (const event of batch) this.#content.add(event);
    return batch;
  }

  async #rewrite(batch: AnswerEvent[]): Promise<AnswerEvent[]> {
    const { rewrite, signal } = this.#input;
    try {
      return this.#record(rewrite && batch.length > 0 ? await rewrite(batch, signal) : batch);
    } catch (error) {
      this.#input.meter.failed(error);
      this.#close('failed');
      throw error;
    }
  }

  #out(batch: AnswerEvent[]): IteratorResult<AnswerEvent[]> {
    if (!this.#shown) {
      this.#shown = true;
      this.#input.meter.firstOutput();
    }
    if (this.#finished) this.#input.meter.end('ok');
    return { done: false, value: batch };
  }

  #done(): IteratorResult<AnswerEvent[]> {
    this.#input.meter.end('ok');
    return { done: true, value: undefined };
  }

  /** The finish arrived: drain the body, report the worker healthy, store the answer, let go. */
  async #complete(): Promise<void> {
    // The body normally ends right after the finish record; in side-by-side the other side may
    // still be streaming. Its failures no longer matter for this answer.
    while (!this.#upstream.done) {
      const result = await this.#upstream.read();
      if (result.type !== 'events') break;
    }
    this.#input.workers.reportOutcome(this.#lease.worker, { kind: 'ok' });
    try {
      this.#input.onComplete({ text: this.#content.text, plan: this.#plan, ids: this.#ids, worker: this.#lease.worker });
    } catch (error) {
      this.#input.logger.warn('Storing the conversation failed', { error: error instanceof Error ? error.message : String(error) });
    }
    this.#close('finished');
  }

  #fail(error: BridgeError): never {
    this.#input.meter.failed(error);
    this.#close('failed');
    throw error;
  }

  #close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#input.signal.removeEventListener('abort', this.#onAbort);
    if (!this.#upstream.done) {
      this.#job.abort();
      this.#upstream.cancel(reason);
    }
    this.#lease.release();
  }
}

/**
 * Runs a plan's preparation (uploading the conversation history as a file) before its first
 * attempt. Every plan a request ends up using is prepared, a fallback's too.
 */
async function prepare(plan: RequestPlan, signal: AbortSignal): Promise<void> {
  if (plan.prepare === undefined) return;
  try {
    await plan.prepare(signal);
  } catch (error) {
    if (isBridgeError(error)) throw error;
    throw new UpstreamError(
      `Uploading the conversation history as a file failed: ${error instanceof Error ? error.message : String(error)}. Retry, or shorten the conversation.`,
      { cause: error },
    );
  }
}
