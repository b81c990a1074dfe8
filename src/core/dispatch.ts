import { isArenaInputError, isRetryableBeforeOutput } from '../arena/index.js';
import type { Logger } from '../observability/logger.js';
import type { ChatServiceOptions } from './chat-service-options.js';
import type { ChatEvent } from './chat-types.js';
import { ClientAbortError, InvalidRequestError, UpstreamError, UpstreamTimeoutError, isBridgeError, type BridgeError } from './errors/index.js';
import { failureToBridgeError, outcomeOf } from './exchange-failure.js';
import type { BuiltIds, RequestPlan } from './plan-request.js';
import { createStreamReader, type ExchangeFailure, type StreamReader } from './stream-reader.js';
import { preparePlan } from './prepare-plan.js';
import { toJobRequest } from './to-job-request.js';
import type { WorkerLease, WorkerSource } from './worker-source.js';

/** An exchange that has produced its first output; the caller owns the lease and the reader. */
export interface StartedExchange {
  plan: RequestPlan;
  lease: WorkerLease;
  reader: StreamReader;
  /** Aborting it cancels the job. */
  job: AbortController;
  ids: BuiltIds;
  events: ChatEvent[];
  text: string;
  finished: boolean;
  attempts: number;
}

/** What {@link dispatch} needs. */
export interface DispatchInput {
  plan: RequestPlan;
  workers: WorkerSource;
  options: Pick<ChatServiceOptions, 'firstTokenTimeoutMs' | 'idleTimeoutMs' | 'retryAttempts'>;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Re-mints once on the same worker, with the v2 challenge (§6.4). A second refusal is the account's,
 * not the token's (§15.4): the pool holds the account and the request goes to another account.
 */
const RECAPTCHA_SAME_WORKER_RETRIES = 1;

/**
 * Runs a plan until its first output: acquires a worker, builds a request with fresh ids, reads
 * to the first output, and on a failure before output reports it to the pool and retries (another
 * worker where the failure was the worker's) within `retryAttempts` and `firstTokenTimeoutMs`.
 */
export async function dispatch(input: DispatchInput): Promise<StartedExchange> {
  // A plain timer cleared on return rather than AbortSignal.timeout/any: those keep every
  // request's signal graph alive until the deadline passes, long after the request is done.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), input.options.firstTokenTimeoutMs);
  const onAbort = (): void => deadline.abort();
  input.signal.addEventListener('abort', onAbort, { once: true });
  if (input.signal.aborted) deadline.abort();
  try {
    return await dispatchUntil(input, deadline.signal, () => !input.signal.aborted && deadline.signal.aborted);
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener('abort', onAbort);
  }
}

async function dispatchUntil(input: DispatchInput, deadline: AbortSignal, timedOut: () => boolean): Promise<StartedExchange> {
  const { workers, options, logger } = input;
  await preparePlan(input.plan, deadline);
  const tried = new Set<string>();
  let plan = input.plan;
  let recaptchaVersion: 'v3' | 'v2' = 'v3';
  let recaptchaRetries = 0;
  let kept: WorkerLease | undefined;
  let lastError: BridgeError | undefined;
  let attempts = 0;
  let modeSwitched = false;

  const stopped = (): BridgeError | undefined => {
    if (input.signal.aborted) return new ClientAbortError('The client cancelled the request.');
    if (timedOut()) {
      const seconds = Math.round(options.firstTokenTimeoutMs / 1000);
      const last = lastError ? ` Last failure: ${lastError.message}` : '';
      return new UpstreamTimeoutError(`LMArena produced no output within ${seconds} seconds (first_token_timeout_seconds) after ${attempts} attempt(s).${last}`);
    }
    return undefined;
  };

  while (attempts < options.retryAttempts || kept) {
    if (!kept) attempts += 1;
    let lease: WorkerLease;
    try {
      lease = kept ?? (await workers.acquire({ signal: deadline, filter: plan.filter, exclude: excludable(workers, tried) }));
    } catch (error) {
      throw stopped() ?? error;
    }
    kept = undefined;
    const job = new AbortController();
    const abortJob = (): void => job.abort();
    deadline.addEventListener('abort', abortJob, { once: true });
    if (deadline.aborted) job.abort();
    let started: StartedExchange | undefined;
    let failure: ExchangeFailure | undefined;
    let reader: StreamReader | undefined;
    try {
      const built = plan.build(recaptchaVersion);
      reader = createStreamReader(lease.worker.startJob(toJobRequest(built.request), job.signal), plan.side, options.idleTimeoutMs);
      const events: ChatEvent[] = [];
      let text = '';
      for (;;) {
        const result = await reader.read();
        if (result.type === 'failure') {
          failure = result.failure;
          break;
        }
        if (result.type === 'end') {
          failure = { kind: 'arena', error: { kind: 'empty-stream', message: 'The answer stream ended without output.' } };
          break;
        }
        events.push(...result.events);
        text += result.text;
        if (events.length > 0) {
          started = { plan, lease, reader, job, ids: built.ids, events, text, finished: result.finished, attempts };
          workers.reportOutcome(lease.worker, { kind: 'served' });
          if (reader.budget !== undefined) workers.observeBudget?.(lease.worker, reader.budget);
          return started;
        }
      }
    } catch (error) {
      lease.release();
      // The builders validate ids and mode/model combinations (e.g. malformed captured Gen A ids).
      if (isArenaInputError(error)) throw new InvalidRequestError(`The arena request could not be built: ${error.message}`, { cause: error });
      if (!isBridgeError(error)) {
        throw new UpstreamError(`The bridge failed to start the request: ${error instanceof Error ? error.message : String(error)}`, {
          code: 'internal_error',
          cause: error,
        });
      }
      throw error;
    } finally {
      deadline.removeEventListener('abort', abortJob);
      if (!started) reader?.cancel('attempt failed');
    }

    const stop = stopped();
    if (stop || !failure) {
      lease.release();
      throw stop ?? new UpstreamError('The request ended without output or failure.', { code: 'internal_error' });
    }
    const outcome = outcomeOf(failure);
    if (outcome) workers.reportOutcome(lease.worker, outcome);
    if (reader?.budget !== undefined) workers.observeBudget?.(lease.worker, reader.budget);
    lastError = failureToBridgeError(failure, options.idleTimeoutMs);
    logger.debug('Attempt failed before output', { attempt: attempts, worker: lease.worker.id, failure: describe(failure) });

    if (failure.kind === 'arena' && failure.error.kind === 'mode-not-allowed' && plan.switchMode && !modeSwitched) {
      // §15.1: the site moved between "direct" and "direct-battle"; not the request's fault.
      modeSwitched = true;
      plan = plan.switchMode();
      kept = lease;
      continue;
    }
    if (failure.kind === 'arena' && failure.error.kind === 'recaptcha-rejected') {
      const accountHeld = heldByAccount(workers, lease.worker.id);
      if (recaptchaRetries < RECAPTCHA_SAME_WORKER_RETRIES && !accountHeld) {
        recaptchaRetries += 1;
        recaptchaVersion = 'v2';
        kept = lease;
        continue;
      }
      // Re-minted on this page and still refused: another page, or another account, may be trusted.
      lease.release();
      tried.add(lease.worker.id);
      if (accountHeld && plan.fallback) {
        // A continuation bound to the held account: carry the conversation on elsewhere.
        plan = plan.fallback();
        await preparePlan(plan, deadline);
        recaptchaRetries = 0;
        recaptchaVersion = 'v3';
        continue;
      }
      // A held account's request goes back to the pool, which answers for the hold (503) at once.
      if (!accountHeld && !hasUntriedWorker(workers, tried)) throw lastError;
      recaptchaRetries = 0;
      recaptchaVersion = 'v3';
      continue;
    }
    lease.release();
    if (failure.kind === 'arena') {
      const kind = failure.error.kind;
      if (kind === 'session-access-denied' && plan.fallback) {
        plan = plan.fallback();
        await preparePlan(plan, deadline);
        continue;
      }
      if (kind === 'rate-limited') {
        tried.add(lease.worker.id);
        if (!hasFreeWorker(workers, tried)) throw lastError;
        continue;
      }
      if (kind === 'challenge') {
        tried.add(lease.worker.id);
        continue;
      }
      if (!isRetryableBeforeOutput(failure.error)) throw lastError;
      continue;
    }
    if (failure.kind === 'job') {
      if (failure.reason === 'bad-request' || failure.reason === 'aborted') throw lastError;
      tried.add(lease.worker.id);
    }
  }
  throw lastError ?? new UpstreamError('The request could not be started.');
}

function describe(failure: ExchangeFailure): string {
  if (failure.kind === 'arena') return `${failure.error.kind}: ${failure.error.message}`;
  if (failure.kind === 'job') return `${failure.reason}: ${failure.message}`;
  return 'idle timeout';
}

/** Excludes tried workers only while some other worker exists, so a lone worker can be waited for. */
function excludable(workers: WorkerSource, tried: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (tried.size === 0) return undefined;
  return workers.snapshot().workers.some((worker) => !tried.has(worker.id)) ? tried : undefined;
}

function heldByAccount(workers: WorkerSource, workerId: string): boolean {
  return workers.snapshot().workers.some((worker) => worker.id === workerId && worker.held === 'account-held');
}

function hasUntriedWorker(workers: WorkerSource, tried: ReadonlySet<string>): boolean {
  return workers.snapshot().workers.some((worker) => !tried.has(worker.id));
}

function hasFreeWorker(workers: WorkerSource, tried: ReadonlySet<string>): boolean {
  return workers
    .snapshot()
    .workers.some((worker) => !tried.has(worker.id) && !worker.held && !worker.page.challenge && worker.activeJobs < worker.maxConcurrency);
}
