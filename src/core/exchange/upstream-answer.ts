import { classifyHttpError, createStreamParser, parseRateLimitHeaders, type RateLimitBudget } from '../../arena/index.js';
import type { ArenaError, ArenaEvent, Side } from '../../arena/types.js';
import type { JobEvent, JobStream } from '../../workers/types.js';
import type { AnswerEvent } from '../chat/chat-types.js';
import type { ExchangeFailure } from './exchange-failure.js';

/** One step of reading an upstream answer. */
export type UpstreamRead =
  /** The side's events of one batch, straight from the parser (possibly none, for heartbeats). */
  | { type: 'events'; events: AnswerEvent[]; finished: boolean }
  | { type: 'failure'; failure: ExchangeFailure }
  /** Nothing more: the job was already over. */
  | { type: 'end' };

/** One job's answer as the events of one side. */
export interface UpstreamAnswer {
  /** Resolves with the next batch (at most one upstream read). */
  read(): Promise<UpstreamRead>;
  cancel(reason: string): void;
  /** True once the job delivered `end` or `error` (or was cancelled). */
  readonly done: boolean;
  /** The request budget the response's rate-limit headers announced, once the response arrived. */
  readonly budget: RateLimitBudget | undefined;
}

/** Error bodies are read up to this many characters; the rest is dropped. */
const ERROR_BODY_LIMIT = 64 * 1024;

const ANSWER_TYPES: ReadonlySet<ArenaEvent['type']> = new Set(['text-delta', 'reasoning-delta', 'image', 'video', 'citation', 'finish']);

/**
 * Reads a job: classifies a non-2xx response from its (bounded) body, feeds a 2xx body to the
 * stream parser, keeps the chosen side's answer events as they are (the parser's objects, no
 * copies), turns the side's first `error` event into a failure, and fails with `idle-timeout` when
 * upstream sends nothing for `idleTimeoutMs` while the reader waits. The parser alone decides
 * whether a body ended empty or cut off.
 */
export function readUpstreamAnswer(job: JobStream, side: Side, idleTimeoutMs: number): UpstreamAnswer {
  const iterator = job[Symbol.asyncIterator]();
  const parser = createStreamParser();
  let status = 0;
  let headers: Record<string, string> = {};
  let budget: RateLimitBudget | undefined;
  let errorBody = '';
  let finished = false;
  let done = false;

  // One timer per job, re-armed on every pull and ignored while the consumer (not upstream) is the
  // slow side: a timer per pull would cost a timer, a promise and a race per upstream batch.
  let waiting = false;
  let idled = false;
  const idleTimer = setTimeout(() => {
    if (!waiting || done) return;
    idled = true;
    job.cancel('no data from LMArena within the idle timeout');
  }, idleTimeoutMs);
  idleTimer.unref();

  function markDone(): void {
    done = true;
    clearTimeout(idleTimer);
  }

  async function pull(): Promise<JobEvent[] | 'idle' | 'closed'> {
    waiting = true;
    idleTimer.refresh();
    try {
      const next = await iterator.next();
      if (idled) return 'idle';
      return next.done === true ? 'closed' : next.value;
    } finally {
      waiting = false;
    }
  }

  /** Keeps the side's answer events of `parsed`; the side's first error is the answer's failure. */
  function take(parsed: readonly ArenaEvent[], out: AnswerEvent[]): ArenaError | undefined {
    for (const event of parsed) {
      if (finished || event.side !== side) continue;
      if (event.type === 'error') return event.error;
      if (!ANSWER_TYPES.has(event.type)) continue;
      out.push(event as AnswerEvent);
      if (event.type === 'finish') finished = true;
    }
    return undefined;
  }

  const failed = (failure: ExchangeFailure): UpstreamRead => ({ type: 'failure', failure });
  const isOk = (): boolean => status >= 200 && status < 300;

  async function read(): Promise<UpstreamRead> {
    if (done) return { type: 'end' };
    const batch = await pull();
    if (batch === 'idle') {
      markDone();
      return failed({ kind: 'idle-timeout' });
    }
    if (batch === 'closed') {
      markDone();
      return failed({ kind: 'job', reason: 'worker-lost', message: 'the job ended without an end event' });
    }
    const events: AnswerEvent[] = [];
    for (const event of batch) {
      let error: ArenaError | undefined;
      if (event.type === 'response') {
        status = event.status;
        headers = event.headers;
        budget = parseRateLimitHeaders(headers);
      } else if (event.type === 'chunk') {
        if (isOk()) error = take(parser.push(event.data), events);
        else if (errorBody.length < ERROR_BODY_LIMIT) errorBody += event.data.slice(0, ERROR_BODY_LIMIT - errorBody.length);
      } else if (event.type === 'end') {
        markDone();
        error = isOk() ? take(parser.end(), events) : classifyHttpError({ status, headers, body: errorBody });
      } else {
        markDone();
        // LMArena answered and the connection broke while the answer streamed: a cut-off stream
        // (retried when nothing was produced yet), not an unreachable site.
        if (event.reason === 'network' && isOk()) {
          error = { kind: 'truncated', message: `The connection dropped while the answer streamed (${event.message}).` };
        } else {
          return failed({ kind: 'job', reason: event.reason, message: event.message });
        }
      }
      // The caller cancels the job after a failure (unless it was already over).
      if (error !== undefined) return failed({ kind: 'arena', error });
    }
    if (events.length === 0 && done) return { type: 'end' };
    return { type: 'events', events, finished };
  }

  return {
    read,
    cancel(reason) {
      if (done) return;
      markDone();
      job.cancel(reason);
      void iterator.return?.();
    },
    get done() {
      return done;
    },
    get budget() {
      return budget;
    },
  };
}
