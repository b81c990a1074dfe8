import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { postRaw, useTestApp } from './start-test-app.js';

const start = useTestApp();

describe('POST /v1/chat/completions without streaming', () => {
  it('returns the collected answer with reasoning, upstream usage, conversation and answer headers', async () => {
    const { client, fake } = await start();
    fake.answerWith([
      [{ type: 'reasoning-delta', text: 'Think' }, { type: 'reasoning-delta', text: 'ing.' }],
      [{ type: 'text-delta', text: 'Hello' }, { type: 'text-delta', text: ' world' }],
      [{ type: 'finish', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 2 } }],
    ], { conversation: { conversationId: 'c-1', evaluationSessionId: 'e-1' }, headers: { 'x-bridge-note': 'replayed' } });
    const { data, response } = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'there' }] }],
      temperature: 0.2,
    }).withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.choices[0]?.message.content).toBe('Hello world');
    expect((data.choices[0]?.message as unknown as { reasoning_content: string }).reasoning_content).toBe('Thinking.');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect((data as unknown as { conversation: unknown }).conversation).toEqual({ conversationId: 'c-1', evaluationSessionId: 'e-1' });
    expect(response.headers.get('x-bridge-note')).toBe('replayed');
    expect(response.headers.get('x-bridge-warnings')).toContain('temperature');
    expect(fake.requests[0]).toMatchObject({
      model: 'fake-model',
      stream: false,
      messages: [{ role: 'system', content: 'Be brief.', attachments: [] }, { role: 'user', content: 'Hi\n\nthere', attachments: [] }],
    });
  });

  it('omits usage when upstream gave none, and passes vendor extensions to core', async () => {
    const { client, fake } = await start();
    fake.answerWith([[{ type: 'text-delta', text: 'x' }, { type: 'finish', finishReason: 'length' }]]);
    const data = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Hi' }],
      // @ts-expect-error vendor extensions are not in the SDK's types
      model_b: 'other-model',
      conversation: { conversationId: 'c-9', evaluationSessionId: 'e-9' },
    });
    expect(data.usage).toBeUndefined();
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(fake.requests[0]).toMatchObject({ modelB: 'other-model', conversationId: 'c-9', evaluationSessionId: 'e-9' });
  });
});

describe('POST /v1/chat/completions with streaming', () => {
  it('streams role, coalesced content and reasoning deltas, images, sources and usage through the SDK', async () => {
    const { client, fake } = await start();
    fake.answerWith([
      [{ type: 'reasoning-delta', text: 'a' }, { type: 'reasoning-delta', text: 'b' }, { type: 'text-delta', text: 'Hel' }, { type: 'text-delta', text: 'lo' }],
      [{ type: 'image', url: 'https://img.test/1.png' }, { type: 'citation', url: 'https://src.test/a', title: 'A' }],
      [{ type: 'finish', finishReason: 'stop', usage: { promptTokens: 4, completionTokens: 6 } }],
    ], { conversation: { conversationId: 'c-2', evaluationSessionId: 'e-2' } });
    const stream = await client.chat.completions.create({
      model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect((chunks[0] as unknown as { conversation: unknown }).conversation).toEqual({ conversationId: 'c-2', evaluationSessionId: 'e-2' });
    const deltas = chunks.slice(1).map((chunk) => chunk.choices[0]?.delta);
    expect(deltas.slice(0, 3)).toEqual([{ reasoning_content: 'ab' }, { content: 'Hello' }, { content: '\n\n![image](https://img.test/1.png)' }]);
    expect(deltas[3]).toEqual({ content: '\n\nSources:\n1. [A](https://src.test/a)' });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 });
    expect(fake.requests[0]?.stream).toBe(true);
  });

  it('sends usage null when upstream gave none, and no usage chunk unless asked', async () => {
    const { client, fake } = await start();
    fake.answerWith([[{ type: 'text-delta', text: 'x' }], [{ type: 'finish', finishReason: 'stop' }]]);
    const withUsage: ChatCompletionChunk[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } })) withUsage.push(chunk);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: null });
    const without: ChatCompletionChunk[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }], stream: true })) without.push(chunk);
    expect(without.every((chunk) => chunk.choices.length === 1 && chunk.usage === undefined)).toBe(true);
  });

  it('writes the exact SSE wire format with headers and [DONE] exactly once', async () => {
    const { origin, fake } = await start();
    fake.answerWith([[{ type: 'text-delta', text: 'Hi "there"\n' }], [{ type: 'finish', finishReason: 'stop' }]]);
    const response = await postRaw(`${origin}/v1/chat/completions`, JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const normalised = response.text.replace(/chatcmpl-[0-9a-f]+/g, 'chatcmpl-ID').replace(/"created":\d+/g, '"created":0');
    expect(normalised).toMatchInlineSnapshot(`
      "data: {"id":"chatcmpl-ID","object":"chat.completion.chunk","created":0,"model":"fake-model","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

      data: {"id":"chatcmpl-ID","object":"chat.completion.chunk","created":0,"model":"fake-model","choices":[{"index":0,"delta":{"content":"Hi \\"there\\"\\n"},"finish_reason":null}]}

      data: {"id":"chatcmpl-ID","object":"chat.completion.chunk","created":0,"model":"fake-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

      data: [DONE]

      "
    `);
    expect(response.text.split('data: [DONE]').length).toBe(2);
  });

  it('sends request and answer warnings and answer headers with the stream head', async () => {
    const { origin, fake } = await start();
    fake.answerWith([[{ type: 'finish', finishReason: 'stop' }]], { warnings: ['Conversation replayed.'], headers: { 'x-bridge-note': 'n' } });
    const response = await postRaw(`${origin}/v1/chat/completions`, JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], stream: true, seed: 1 }));
    expect(response.headers.get('x-bridge-warnings')).toBe('Ignored parameters the arena does not support: seed. | Conversation replayed.');
    expect(response.headers.get('x-bridge-note')).toBe('n');
  });

  it('also answers on the /chat/completions alias', async () => {
    const { origin } = await start();
    const response = await postRaw(`${origin}/chat/completions`, JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] }));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello' } }] });
  });
});
