import { describe, expect, it } from 'vitest';
import type { JobEvent, JobStream } from '../workers/types.js';
import { createStreamReader } from './stream-reader.js';

/** A finished job replaying fixed batches. */
function replay(batches: JobEvent[][]): JobStream {
  return {
    jobId: 'job-1',
    cancel: () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const batch of batches) yield batch;
    },
  };
}

const CHALLENGE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>';

describe('createStreamReader', () => {
  it.each(['a', 'b'] as const)('sees a challenge page in a 200 body as a challenge when reading side %s', async (side) => {
    const reader = createStreamReader(
      replay([[{ type: 'response', status: 200, headers: { 'content-type': 'text/html' } }, { type: 'chunk', data: CHALLENGE }, { type: 'end' }]]),
      side,
      60_000,
    );
    const result = await reader.read();
    expect(result).toMatchObject({ type: 'failure', failure: { kind: 'arena', error: { kind: 'challenge' } } });
  });

  it('reads side B of a battle and ignores side A', async () => {
    const body = 'a0:"left"\nb0:"right"\nad:{"finishReason":"unknown"}\nbd:{"finishReason":"stop"}\n';
    const reader = createStreamReader(replay([[{ type: 'response', status: 200, headers: {} }, { type: 'chunk', data: body }, { type: 'end' }]]), 'b', 60_000);
    const result = await reader.read();
    expect(result).toMatchObject({ type: 'events', text: 'right', finished: true });
  });
});
