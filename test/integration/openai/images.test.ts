import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitError } from '../../../src/core/errors/index.js';
import { scriptedAnswer, wait } from './fake-chat-service.js';
import { startTestApp, type TestApp } from './start-test-app.js';

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('POST /v1/images/generations', () => {
  it('runs n chats in parallel with the prompt and returns their image URLs', async () => {
    running = await startTestApp();
    let active = 0;
    let maxActive = 0;
    running.fake.behaviour = async (request, signal) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await wait(30, signal);
      active -= 1;
      return scriptedAnswer([[{ type: 'image', url: `https://img.test/${request.requestId}.png` }, { type: 'finish', finishReason: 'stop' }]], signal).answer;
    };
    const result = await running.client.images.generate({ model: 'fake-image', prompt: 'a red fox', n: 2, size: '1024x1024' });
    expect(result.data).toHaveLength(2);
    expect(result.data?.every((image) => image.url?.startsWith('https://img.test/'))).toBe(true);
    expect(maxActive).toBe(2);
    expect(running.fake.requests.map((request) => request.messages)).toEqual([
      [{ role: 'user', content: 'a red fox', attachments: [] }],
      [{ role: 'user', content: 'a red fox', attachments: [] }],
    ]);
    expect(new Set(running.fake.requests.map((request) => request.requestId)).size).toBe(2);
  });

  it('returns b64_json: data URIs decoded in place, URLs through fetchImage', async () => {
    const fetched: string[] = [];
    running = await startTestApp({
      fetchImage: async (url) => {
        fetched.push(url);
        return { bytes: new TextEncoder().encode('PNGBYTES'), contentType: 'image/png' };
      },
    });
    let call = 0;
    running.fake.behaviour = async (_request, signal) => {
      call += 1;
      const url = call === 1 ? `data:image/png;base64,${Buffer.from('INLINE').toString('base64')}` : 'https://img.test/remote.png';
      return scriptedAnswer([[{ type: 'image', url }], [{ type: 'finish', finishReason: 'stop' }]], signal).answer;
    };
    const result = await running.client.images.generate({ model: 'fake-image', prompt: 'p', n: 2, response_format: 'b64_json' });
    const decoded = (result.data ?? []).map((image) => Buffer.from(image.b64_json ?? '', 'base64').toString()).sort();
    expect(decoded).toEqual(['INLINE', 'PNGBYTES']);
    expect(fetched).toEqual(['https://img.test/remote.png']);
  });

  it('answers 502 upstream_error when the model produced no image', async () => {
    running = await startTestApp();
    running.fake.answerWith([[{ type: 'text-delta', text: 'I cannot draw.' }], [{ type: 'finish', finishReason: 'stop' }]]);
    const thrown = await running.client.images.generate({ model: 'fake-model', prompt: 'p' }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.InternalServerError);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
    expect((thrown as Error).message).toContain('without an image');
  });

  it('fails with the first error and cancels the other runs; rejects n out of range', async () => {
    running = await startTestApp();
    const signals: AbortSignal[] = [];
    running.fake.behaviour = async (_request, signal) => {
      signals.push(signal);
      if (signals.length === 1) throw new RateLimitError('Rate limited.', { headers: { 'retry-after': '3' } });
      await wait(5000, signal);
      throw new Error('unreachable');
    };
    const thrown = await running.client.images.generate({ model: 'fake-image', prompt: 'p', n: 3 }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.RateLimitError);
    expect(signals.slice(1).every((signal) => signal.aborted)).toBe(true);
    const tooMany = await running.client.images.generate({ model: 'fake-image', prompt: 'p', n: 5 }).catch((error: unknown) => error);
    expect(tooMany).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tooMany as InstanceType<typeof OpenAI.APIError>).param).toBe('n');
  });
});
