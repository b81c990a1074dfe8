/** Graceful shutdown: running answers finish, new requests are refused, nothing is cut short. */
import { afterEach, describe, expect, it } from 'vitest';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';

let harness: TestBridge;
afterEach(async () => {
  await harness.close();
});

describe('shutdown', () => {
  it('lets a running stream finish, and refuses new requests meanwhile', async () => {
    harness = await startTestBridge({ fake: { pacing: { chunkDelayMs: 25 } } });
    await connectNodeAgent(harness);
    const client = harness.client();
    const prompt = 'Finish this answer during shutdown';
    const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: prompt }] });
    const iterator = stream[Symbol.asyncIterator]();
    let content = '';
    const first = await iterator.next();
    content += first.done === true ? '' : (first.value.choices[0]?.delta.content ?? '');

    const closing = harness.bridge.close();
    const refused = await fetch(`${harness.url}/v1/models`).then((response) => response.status, () => 'connection refused');
    expect(refused === 503 || refused === 'connection refused').toBe(true);

    let finishReason: string | null | undefined;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      content += next.value.choices[0]?.delta.content ?? '';
      finishReason = next.value.choices[0]?.finish_reason ?? finishReason;
    }
    await closing;
    expect(finishReason).toBe('stop');
    expect(content).toBe(echoReply(prompt));
    expect(harness.fake.requests.some((request) => request.aborted)).toBe(false);
  });
});
