import {
  WORKER_PROTOCOL_VERSION,
  type AgentToBridgeMessage,
  type JobFailureReason,
  type JobRequest,
} from '../../src/shared/worker-protocol.js';
import type { AgentEnvironment, AgentTimings } from './agent-environment.js';
import { buildFetchInit } from './build-fetch-init.js';
import { createCreditGate, type CreditGate } from './credit-gate.js';
import { JobFailure, describeError, isJobFailure } from './job-failure.js';
import type { TokenPool } from './token-pool.js';

/** A job the agent is running; created by {@link runJob}. */
export interface RunningJob {
  readonly jobId: string;
  /** Adds credit from a `job-ack`. */
  grant(credit: number): void;
  /** Cancelled by the bridge: aborts the fetch and reports `job-error` `aborted`, then nothing more. */
  cancel(reason: string): void;
  /** The socket is gone: aborts the fetch and sends nothing. */
  abandon(): void;
  /** Settles when the job has finished, failed or been aborted (never rejects). */
  readonly finished: Promise<void>;
}

/** What {@link runJob} needs. */
export interface RunJobOptions {
  jobId: string;
  request: JobRequest;
  window: number;
  environment: AgentEnvironment;
  timings: AgentTimings;
  /** The page's v3 tokens minted ahead. */
  tokens?: TokenPool;
  /** Sends a message to the bridge (dropped when the socket is not open). */
  send(message: AgentToBridgeMessage): void;
}

const version = WORKER_PROTOCOL_VERSION;

function headersToObject(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name.toLowerCase()] = value;
  });
  return result;
}

async function streamBody(
  body: ReadableStream<Uint8Array>,
  gate: CreditGate,
  signal: AbortSignal,
  emit: (data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const onAbort = (): void => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  // One decoder per job with stream:true, so a character split across reads is never broken.
  const decoder = new TextDecoder();
  try {
    for (;;) {
      // Waiting for credit *before* reading is what stops the page reading a slow client's stream.
      await gate.available(signal);
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (signal.aborted) throw new JobFailure('aborted', 'The job was cancelled.', { cause: error });
        throw new JobFailure('network', `Reading the response body failed: ${describeError(error)}`, { cause: error });
      }
      if (signal.aborted) throw new JobFailure('aborted', 'The job was cancelled.');
      if (result.done) break;
      const text = decoder.decode(result.value, { stream: true });
      if (text !== '') {
        gate.spend();
        emit(text);
      }
    }
    const tail = decoder.decode();
    if (tail !== '') {
      await gate.available(signal);
      gate.spend();
      emit(tail);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/**
 * Runs one job in the page: mints the token if asked, fetches with the page's cookies, and streams
 * `job-response`, `job-chunk`s (within the credit window) and `job-end`, or one `job-error`.
 */
export function runJob(options: RunJobOptions): RunningJob {
  const { jobId, environment, timings } = options;
  const controller = new AbortController();
  const signal = controller.signal;
  const gate = createCreditGate(options.window);
  let closed = false;

  const emit = (message: AgentToBridgeMessage): void => {
    if (!closed) options.send(message);
  };
  const fail = (reason: JobFailureReason, message: string): void => {
    emit({ type: 'job-error', protocolVersion: version, jobId, reason, message });
    closed = true;
  };

  async function perform(): Promise<void> {
    const prepared = await buildFetchInit(options.request, { environment, timings, signal, ...(options.tokens ? { tokens: options.tokens } : {}) });
    let response: Response;
    try {
      response = await environment.fetch(prepared.url, prepared.init);
    } catch (error) {
      if (signal.aborted) throw new JobFailure('aborted', 'The job was cancelled.', { cause: error });
      throw new JobFailure('network', `fetch failed: ${describeError(error)}`, { cause: error });
    }
    if (signal.aborted) throw new JobFailure('aborted', 'The job was cancelled.');
    emit({ type: 'job-response', protocolVersion: version, jobId, status: response.status, headers: headersToObject(response.headers) });
    if (response.body) {
      await streamBody(response.body, gate, signal, (data) =>
        emit({ type: 'job-chunk', protocolVersion: version, jobId, data }),
      );
    }
    emit({ type: 'job-end', protocolVersion: version, jobId });
    closed = true;
  }

  const finished = perform().catch((error: unknown) => {
    if (isJobFailure(error)) fail(error.reason, error.message);
    else fail('internal', `The agent failed: ${describeError(error)}`);
  });

  return {
    jobId,
    finished,
    grant: (credit) => gate.grant(credit),
    cancel(reason) {
      if (closed) return;
      fail('aborted', `Cancelled by the bridge: ${reason}`);
      controller.abort(new JobFailure('aborted', reason));
    },
    abandon() {
      closed = true;
      controller.abort(new JobFailure('aborted', 'The bridge connection closed.'));
    },
  };
}
