import type { Logger } from '../observability/logger.js';
import { AnswerText } from './answer-content.js';
import type { AnswerBatchRewriter } from './attachments/save-generated-images.js';
import type { ChatEvent } from './chat-types.js';
import type { StartedExchange } from './dispatch.js';
import { ClientAbortError, type BridgeError } from './errors/index.js';
import { failureToBridgeError, outcomeOf } from './exchange-failure.js';
import type { WorkerSource } from './worker-source.js';

/** What {@link createAnswerEvents} needs. */
export interface AnswerEventsInput {
  started: StartedExchange;
  workers: WorkerSource;
  /** The request's signal: aborting it cancels the job and releases the worker. */
  signal: AbortSignal;
  idleTimeoutMs: number;
  /** Called once with the answer's full text when the answer finished normally, before the finish is handed out. */
  onComplete(text: string): void;
  /** Rewrites each batch before it is handed out and recorded (e.g. local copies of generated images). */
  rewrite?: AnswerBatchRewriter;
  logger: Logger;
}

/**
 * The pull-based event iterator of an answer. Each `next()` reads at most until one non-empty
 * batch is available. The worker lease is released exactly once: on finish, on failure, on
 * `return()` (the consumer broke out) or when the request signal aborts — even if the consumer
 * never pulled. After the finish record the rest of the body is drained before the finish batch is
 * handed out, so the conversation is stored before a client can send its next turn.
 */
export function createAnswerEvents(input: AnswerEventsInput): AsyncIterableIterator<ChatEvent[]> {
  const { started, workers, logger } = input;
  let pending: ChatEvent[] = started.events;
  // The conversation is keyed by the content the client will send back, images and sources included,
  // so a batch is recorded only once it is final: after the rewrite, just before it is handed out.
  const content = new AnswerText();
  function record(batch: ChatEvent[]): ChatEvent[] {
    for (const event of batch) content.add(event);
    return batch;
  }
  const { rewrite } = input;
  const rewriteAndRecord = async (batch: ChatEvent[]): Promise<ChatEvent[]> => record(batch.length > 0 && rewrite ? await rewrite(batch, input.signal) : batch);
  let finished = started.finished;
  let closed = false;

  function close(reason: string): void {
    if (closed) return;
    closed = true;
    input.signal.removeEventListener('abort', onAbort);
    if (!started.reader.done) {
      started.job.abort();
      started.reader.cancel(reason);
    }
    started.lease.release();
  }

  function onAbort(): void {
    close('client cancelled');
  }
  input.signal.addEventListener('abort', onAbort, { once: true });
  if (input.signal.aborted) close('client cancelled');

  async function complete(): Promise<void> {
    // The body normally ends right after the finish record; in side-by-side the other side may
    // still be streaming. Its failures no longer matter for this answer.
    while (!started.reader.done) {
      const result = await started.reader.read();
      if (result.type !== 'events') break;
    }
    workers.reportOutcome(started.lease.worker, { kind: 'ok' });
    try {
      input.onComplete(content.text);
    } catch (error) {
      logger.warn('Storing the conversation failed', { error: error instanceof Error ? error.message : String(error) });
    }
    close('finished');
  }

  function fail(error: BridgeError): never {
    close('failed');
    throw error;
  }

  return {
    async next(): Promise<IteratorResult<ChatEvent[]>> {
      if (pending.length > 0) {
        // Without a rewrite (the usual case) a batch costs no extra await on its way to the client.
        const batch = rewrite ? await rewriteAndRecord(pending) : record(pending);
        pending = [];
        if (finished) await complete();
        return { done: false, value: batch };
      }
      if (closed || finished) {
        if (input.signal.aborted && !finished) fail(new ClientAbortError('The client cancelled the request.'));
        return { done: true, value: undefined };
      }
      for (;;) {
        const result = await started.reader.read();
        if (input.signal.aborted) fail(new ClientAbortError('The client cancelled the request.'));
        if (result.type === 'end') {
          close('ended');
          return { done: true, value: undefined };
        }
        if (result.type === 'failure') {
          const outcome = outcomeOf(result.failure);
          if (outcome) workers.reportOutcome(started.lease.worker, outcome);
          fail(failureToBridgeError(result.failure, input.idleTimeoutMs));
        }
        const batch = rewrite ? await rewriteAndRecord(result.events) : record(result.events);
        if (result.finished) {
          finished = true;
          await complete();
        }
        if (batch.length > 0) return { done: false, value: batch };
        if (finished) return { done: true, value: undefined };
      }
    },
    async return(): Promise<IteratorResult<ChatEvent[]>> {
      close('consumer stopped');
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
