import { classifyHttpError, createStreamParser, parseRateLimitHeaders, type RateLimitBudget } from '../arena/index.js';
import type { ArenaError, ArenaEvent, Side } from '../arena/types.js';
import type { JobFailureReason } from '../shared/worker-protocol.js';
import type { JobEvent, JobStream } from '../workers/types.js';
import type { ChatEvent } from './chat-types.js';
import { mapArenaEvents } from './map-arena-events.js';

/** Why an exchange failed. */
export type ExchangeFailure =
  | { kind: 'arena'; error: ArenaError }
  | { kind: 'job'; reason: JobFailureReason | 'worker-lost'; message: string }
  | { kind: 'idle-timeout' };

/** One step of reading an upstream exchange. */
export type ReadResult =
  | { type: 'events'; events: ChatEvent[]; text: string; finished: boolean }
  | { type: 'failure'; failure: ExchangeFailure }
  | { type: 'end' };

/** Reads one job as arena events of one side. */
export interface StreamReader {
  /** Resolves with the next batch of chat events (possibly empty for heartbeats). */
  read(): Promise<ReadResult>;
  cancel(reason: string): void;
  /** True once the job delivered `end` or `error`. */
  readonly done: boolean;
  /** The request budget the response's rate-limit headers announced, once the response arrived. */
  readonly budget: RateLimitBudget | undefined;
}

/** Error bodies are read up to this many characters; the rest is dropped. */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Wraps a JobStream: classifies a non-2xx response from its (bounded) body, parses a 2xx body
 * incrementally, and times out when no batch arrives within `idleTimeoutMs`.
 */
export function createStreamReader(job: JobStream, side: Side, idleTimeoutMs: number): StreamReader {
  const iterator = job[Symbol.asyncIterator]();
  const parser = createStreamParser();
  let status = 0;
  let headers: Record<string, string> = {};
  let budget: RateLimitBudget | undefined;
  let errorBody = '';
  let finished = false;
  let produced = false;
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

  function consume(arenaEvents: ArenaEvent[], sink: { events: ChatEvent[]; text: string }): ExchangeFailure | undefined {
    if (finished) return undefined;
    const mapped = mapArenaEvents(arenaEvents, side);
    sink.events.push(...mapped.events);
    if (mapped.events.length > 0) produced = true;
    sink.text += mapped.text;
    if (mapped.error) return { kind: 'arena', error: mapped.error };
    if (mapped.finished) finished = true;
    return undefined;
  }

  async function read(): Promise<ReadResult> {
    if (done) return { type: 'end' };
    const batch = await pull();
    if (batch === 'idle') {
      markDone();
      return { type: 'failure', failure: { kind: 'idle-timeout' } };
    }
    if (batch === 'closed') {
      markDone();
      return { type: 'failure', failure: { kind: 'job', reason: 'worker-lost', message: 'the job ended without an end event' } };
    }
    const sink = { events: [] as ChatEvent[], text: '' };
    for (const event of batch) {
      if (event.type === 'response') {
        status = event.status;
        headers = event.headers;
        budget = parseRateLimitHeaders(headers);
      } else if (event.type === 'chunk') {
        if (status < 200 || status >= 300) {
          if (errorBody.length < ERROR_BODY_LIMIT) errorBody += event.data.slice(0, ERROR_BODY_LIMIT - errorBody.length);
          continue;
        }
        const failure = consume(parser.push(event.data), sink);
        if (failure) return { type: 'failure', failure };
      } else if (event.type === 'end') {
        markDone();
        if (status < 200 || status >= 300) {
          return { type: 'failure', failure: { kind: 'arena', error: classifyHttpError({ status, headers, body: errorBody }) } };
        }
        const failure = consume(parser.end(), sink);
        if (failure) return { type: 'failure', failure };
        if (!finished) {
          const error: ArenaError = produced
            ? { kind: 'truncated', message: 'The answer stream ended before its finish record.' }
            : { kind: 'empty-stream', message: 'The answer stream ended without output.' };
          return { type: 'failure', failure: { kind: 'arena', error } };
        }
      } else {
        markDone();
        if (event.reason === 'network' && status >= 200 && status < 300) {
          // LMArena answered and the connection broke while the answer streamed: a cut-off stream
          // (retried when nothing was produced yet), not an unreachable site.
          const error: ArenaError = { kind: 'truncated', message: `The connection dropped while the answer streamed (${event.message}).` };
          return { type: 'failure', failure: { kind: 'arena', error } };
        }
        return { type: 'failure', failure: { kind: 'job', reason: event.reason, message: event.message } };
      }
    }
    if (sink.events.length === 0 && done) return { type: 'end' };
    return { type: 'events', events: sink.events, text: sink.text, finished };
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
