import { request as httpRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../../src/core/chat/chat-types.js';
import { scriptedAnswer, wait, type Step } from './fake-chat-service.js';
import { postRaw, useTestApp } from './start-test-app.js';

const start = useTestApp();

const hi = [{ role: 'user' as const, content: 'Hi' }];

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

describe('keep-alive pings', () => {
  it('sends `: ping` while waiting for the first output and between slow events', async () => {
    const { origin, fake } = await start({ headersGraceMs: 20, pingIntervalMs: 15 });
    fake.behaviour = async (_request, signal) => {
      await wait(100, signal);
      return scriptedAnswer([[{ type: 'text-delta', text: 'a' }], { delayMs: 100 }, [{ type: 'text-delta', text: 'b' }], [{ type: 'finish', finishReason: 'stop' }]], signal).answer;
    };
    const raw = await postRaw(`${origin}/v1/chat/completions`, JSON.stringify({ model: 'fake-model', messages: hi, stream: true }));
    const events = raw.text.split('\n\n').filter((event) => event !== '');
    const firstData = events.findIndex((event) => event.startsWith('data:'));
    expect(firstData).toBeGreaterThan(0);
    expect(events.slice(0, firstData).every((event) => event === ': ping')).toBe(true);
    const contentA = events.findIndex((event) => event.includes('"content":"a"'));
    const contentB = events.findIndex((event) => event.includes('"content":"b"'));
    expect(events.slice(contentA + 1, contentB)).toContain(': ping');
    expect(events.at(-1)).toBe('data: [DONE]');
  });
});

describe('client abort', () => {
  it('aborting the SDK stream aborts the signal core received and closes the answer early', async () => {
    const { client, fake } = await start();
    const endless: Step[] = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? [{ type: 'text-delta' as const, text: 'x' }] : { delayMs: 20 }));
    const answer = fake.answerWith(endless);
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'fake-model', messages: hi, stream: true }, { signal: controller.signal });
    let received = 0;
    // The SDK either ends the iteration quietly or throws an abort error; both are fine here.
    await (async () => {
      for await (const _chunk of stream) {
        received += 1;
        if (received === 3) controller.abort();
      }
    })().catch(() => undefined);
    expect(received).toBe(3);
    await until(() => fake.signals[0]?.aborted === true && answer.latest().closed);
    expect(answer.latest().returnedEarly).toBe(true);
    expect(answer.latest().pulls).toBeLessThan(100);
  });

  it('aborting a non-streaming call while core works aborts core\'s signal', async () => {
    const { client, fake } = await start();
    let sawAbort = false;
    fake.behaviour = async (_request, signal) => {
      try {
        await wait(5000, signal);
      } finally {
        sawAbort = signal.aborted;
      }
      throw new Error('unreachable');
    };
    const controller = new AbortController();
    const call = client.chat.completions.create({ model: 'fake-model', messages: hi }, { signal: controller.signal });
    await until(() => fake.requests.length === 1);
    controller.abort();
    await expect(call).rejects.toThrow();
    await until(() => sawAbort);
  });
});

describe('shutdown', () => {
  it('closing the app ends a running stream with a shutting_down error event', async () => {
    const { client, fake, app } = await start();
    const slow: Step[] = [[{ type: 'text-delta', text: 'x' }], { delayMs: 5000 }, [{ type: 'finish', finishReason: 'stop' }]];
    fake.answerWith(slow);
    const stream = await client.chat.completions.create({ model: 'fake-model', messages: hi, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    const closing = app.close();
    const thrown = await iterator.next().catch((error: unknown) => error);
    await closing;
    expect((thrown as { code?: string }).code).toBe('shutting_down');
    expect(fake.signals[0]?.aborted).toBe(true);
  });
});

describe('backpressure', () => {
  it('pulls from core only as fast as a slow client reads', async () => {
    const { origin, fake } = await start();
    const big = 'y'.repeat(64 * 1024);
    const batches = function* (): Generator<AnswerEvent[]> {
      for (let index = 0; index < 2000; index += 1) yield [{ type: 'text-delta', text: big }];
      yield [{ type: 'finish', finishReason: 'stop' }];
    };
    let stats: ReturnType<typeof scriptedAnswer>['stats'] | undefined;
    fake.behaviour = async (_request, signal) => {
      const scripted = scriptedAnswer(batches(), signal);
      stats = scripted.stats;
      return scripted.answer;
    };
    const body = JSON.stringify({ model: 'fake-model', messages: hi, stream: true });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    response.pause();
    await sleep(300);
    const pausedPulls = stats?.pulls ?? 0;
    await sleep(300);
    // Paused client: the socket buffers fill and the server stops pulling (2000 batches = 128 MB).
    expect(stats?.pulls).toBe(pausedPulls);
    expect(pausedPulls).toBeLessThan(300);
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    response.resume();
    await until(() => (stats?.pulls ?? 0) > pausedPulls + 50);
    response.destroy();
    await until(() => stats?.closed === true);
    expect(stats?.returnedEarly).toBe(true);
    expect(bytes).toBeGreaterThan(0);
    expect(fake.signals[0]?.aborted).toBe(true);
  });
});
