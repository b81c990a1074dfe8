import { describe, expect, it } from 'vitest';
import type { JobEvent, JobStream } from '../../workers/types.js';
import { readUpstreamAnswer } from './upstream-answer.js';

/** A finished job replaying fixed batches; records whether it was cancelled. */
function replay(batches: JobEvent[][]): JobStream & { cancelled: string[] } {
  const cancelled: string[] = [];
  return {
    jobId: 'job-1',
    cancelled,
    cancel: (reason) => void cancelled.push(reason),
    async *[Symbol.asyncIterator]() {
      for (const batch of batches) yield batch;
    },
  };
}

const ok = (...data: string[]): JobEvent[] => [{ type: 'response', status: 200, headers: {} }, ...data.map((chunk) => ({ type: 'chunk' as const, data: chunk }))];
const CHALLENGE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>';

describe('readUpstreamAnswer', () => {
  it.each(['a', 'b'] as const)('sees a challenge page in a 200 body as a challenge when reading side %s', async (side) => {
    const answer = readUpstreamAnswer(replay([[...ok(CHALLENGE), { type: 'end' }]]), side, 60_000);
    expect(await answer.read()).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'challenge' } } });
  });

  it('reads side B of a battle and ignores side A, handing out the parser\'s own events', async () => {
    const body = 'a0:"left"\nb0:"right"\nad:{"finishReason":"stop"}\nbd:{"finishReason":"stop"}\n';
    const answer = readUpstreamAnswer(replay([[...ok(body), { type: 'end' }]]), 'b', 60_000);
    expect(await answer.read()).toEqual({
      type: 'events',
      events: [{ type: 'text-delta', side: 'b', text: 'right' }, { type: 'finish', side: 'b', finishReason: 'stop' }],
      finished: true,
    });
    expect(answer.done).toBe(true);
    expect(await answer.read()).toEqual({ type: 'end' });
  });

  it('classifies a non-2xx answer from its body and reads the rate-limit budget', async () => {
    const answer = readUpstreamAnswer(
      replay([[{ type: 'response', status: 429, headers: { 'retry-after': '7', ratelimit: 'limit=1800;w=300' } }, { type: 'chunk', data: '{"error":"Too many requests"}' }, { type: 'end' }]]),
      'a',
      60_000,
    );
    expect(await answer.read()).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'rate-limited', retryAfterSeconds: 7 } } });
    expect(answer.budget).toBeDefined();
  });

  it('leaves empty and cut-off bodies to the parser', async () => {
    const empty = readUpstreamAnswer(replay([[...ok(), { type: 'end' }]]), 'a', 60_000);
    expect(await empty.read()).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'empty-stream' } } });
    const cut = readUpstreamAnswer(replay([ok('a0:"Hel'), [{ type: 'chunk', data: 'lo"\n' }, { type: 'end' }]]), 'a', 60_000);
    expect(await cut.read()).toEqual({ type: 'events', events: [], finished: false });
    expect(await cut.read()).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'truncated' } } });
  });

  it('calls a dropped connection after a 2xx a cut-off stream, and before it the page\'s failure', async () => {
    const dropped = readUpstreamAnswer(replay([[...ok('a0:"x"\n'), { type: 'error', reason: 'network', message: 'reset' }]]), 'a', 60_000);
    expect(await dropped.read()).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'truncated' } } });
    const unreachable = readUpstreamAnswer(replay([[{ type: 'error', reason: 'network', message: 'refused' }]]), 'a', 60_000);
    expect(await unreachable.read()).toEqual({ type: 'failure', failure: { kind: 'job', reason: 'network', message: 'refused' } });
  });

  it('reports a job that ends without an end event as a lost worker', async () => {
    const answer = readUpstreamAnswer(replay([ok('a0:"x"\n')]), 'a', 60_000);
    await answer.read();
    expect(await answer.read()).toMatchObject({ type: 'failure', failure: { kind: 'job', reason: 'worker-lost' } });
  });

  it('fails with idle-timeout and cancels the job when upstream goes silent', async () => {
    const cancelled: string[] = [];
    let release: () => void = () => undefined;
    const silent: JobStream = {
      jobId: 'job-2',
      cancel: (reason) => {
        cancelled.push(reason);
        release();
      },
      async *[Symbol.asyncIterator]() {
        yield ok('a0:"x"\n');
        await new Promise<void>((resolve) => (release = resolve));
      },
    };
    const answer = readUpstreamAnswer(silent, 'a', 50);
    await answer.read();
    expect(await answer.read()).toEqual({ type: 'failure', failure: { kind: 'idle-timeout' } });
    expect(cancelled).toHaveLength(1);
  });

  it('leaves an in-band error\'s job running for the caller to cancel', async () => {
    const job = replay([[...ok('a3:"content moderation blocked"\n'), { type: 'end' }]]);
    const answer = readUpstreamAnswer(job, 'a', 60_000);
    expect(await answer.read()).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'moderation' } } });
    answer.cancel('failed');
    expect(job.cancelled).toEqual(['failed']);
  });
});
