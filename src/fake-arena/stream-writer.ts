import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FakeResponse } from './http-exchange.js';
import { dropConnection, writeChunk } from './http-exchange.js';
import type { FakeArenaPacing } from './options.js';

/** One step of a stream body: whole records, raw bytes (a cut record), or a pause. */
export type PlanStep =
  | { kind: 'records'; records: readonly string[] }
  | { kind: 'raw'; bytes: Buffer }
  | { kind: 'pause'; ms: number };

/**
 * A stream body and how it ends: a clean end of body, or a dropped connection (`drop`: the socket
 * destroyed under HTTP/1.1, the stream reset under HTTP/2).
 */
export interface StreamPlan {
  steps: PlanStep[];
  ending: 'end' | 'destroy';
}

/** How writing ended. */
export type WriteOutcome = 'finished' | 'aborted' | 'dropped';

/** Index just after the lead byte of the first multi-byte character, else the middle. */
export function splitPoint(bytes: Buffer): number {
  for (let index = 0; index < bytes.length - 1; index += 1) {
    if ((bytes[index] ?? 0) >= 0xc0) return index + 1;
  }
  return Math.floor(bytes.length / 2);
}

/**
 * Writes a stream plan with pacing, honouring backpressure, and stops as soon as the client goes
 * away (the response closes before it finished).
 */
export async function writeStreamPlan(response: FakeResponse, plan: StreamPlan, pacing: Required<FakeArenaPacing>): Promise<WriteOutcome> {
  let closed = false;
  const onClose = (): void => {
    closed = true;
  };
  response.once('close', onClose);
  const write = async (bytes: Buffer): Promise<void> => {
    if (closed || bytes.length === 0) return;
    if (!writeChunk(response, bytes)) await waitFor(response, 'drain');
    await nextTurn();
  };
  const pause = async (ms: number): Promise<void> => {
    if (!closed && ms > 0) await waitFor(response, undefined, ms);
  };
  try {
    let first = true;
    for (const step of plan.steps) {
      if (step.kind === 'pause') {
        await pause(step.ms);
        continue;
      }
      const chunks = step.kind === 'raw' ? [step.bytes] : group(step.records, pacing.recordsPerChunk);
      for (const chunk of chunks) {
        if (!first) await pause(pacing.chunkDelayMs);
        first = false;
        if (pacing.splitRecords && chunk.length > 1) {
          const at = splitPoint(chunk);
          await write(chunk.subarray(0, at));
          await pause(pacing.chunkDelayMs);
          await write(chunk.subarray(at));
        } else {
          await write(chunk);
        }
      }
    }
    if (closed) return 'aborted';
    if (plan.ending === 'destroy') {
      dropConnection(response);
      return 'dropped';
    }
    response.end();
    return 'finished';
  } finally {
    response.off('close', onClose);
  }
}

function group(records: readonly string[], size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let index = 0; index < records.length; index += size) {
    chunks.push(Buffer.from(records.slice(index, index + size).join(''), 'utf8'));
  }
  return chunks;
}

/** Resolves on the event (if any), on close, or after `ms` (if given), whichever comes first. */
function waitFor(response: FakeResponse, event: 'drain' | undefined, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      if (event !== undefined) response.off(event, done);
      response.off('close', done);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    if (event !== undefined) response.once(event, done);
    response.once('close', done);
  });
}
