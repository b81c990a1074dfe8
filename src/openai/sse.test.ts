import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../core/chat-types.js';
import { ChatChunkEncoder, formatChunks, formatSseData, formatSseError, formatSseEvent, SSE_DONE, SSE_PING } from './sse.js';

const identity = { id: 'chatcmpl-1', created: 1700000000, model: 'm' };

describe('formatSseData', () => {
  it('frames one line, and splits multi-line data into several data lines', () => {
    expect(formatSseData('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(formatSseData('a\nb\r\nc')).toBe('data: a\ndata: b\ndata: c\n\n');
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
    expect(SSE_PING).toBe(': ping\n\n');
  });

  it('frames errors as OpenAI error events', () => {
    expect(formatSseError({ error: { message: 'm', type: 't', param: null, code: 'c' } })).toMatchInlineSnapshot(`
      "data: {"error":{"message":"m","type":"t","param":null,"code":"c"}}

      "
    `);
  });
});

describe('formatSseEvent', () => {
  it('writes id and event lines before the data lines', () => {
    expect(formatSseEvent({ id: 7, event: 'account.held', data: '{"a":1}' })).toMatchInlineSnapshot(`
      "id: 7
      event: account.held
      data: {"a":1}

      "
    `);
    expect(formatSseEvent({ event: 'ready', data: 'x\ny' })).toBe('event: ready\ndata: x\ndata: y\n\n');
    expect(formatSseEvent({ data: 'plain' })).toBe('data: plain\n\n');
  });

  it('refuses line breaks and NUL in the id and the event name, which would forge fields', () => {
    expect(() => formatSseEvent({ id: '1\ndata: forged', data: '' })).toThrow(/SSE id must not contain/);
    expect(() => formatSseEvent({ event: 'a\rb', data: '' })).toThrow(/SSE event name must not contain/);
    expect(() => formatSseEvent({ id: 'a\0', data: '' })).toThrow(TypeError);
  });
});

describe('ChatChunkEncoder', () => {
  it('starts with the assistant role and the vendor conversation', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: false });
    expect(encoder.start({ conversationId: 'c', evaluationSessionId: 'e' })).toEqual({
      ...identity,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      conversation: { conversationId: 'c', evaluationSessionId: 'e' },
    });
    expect(encoder.start()).not.toHaveProperty('conversation');
  });

  it('merges consecutive deltas of the same kind and keeps order across kinds', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: false });
    const chunks = encoder.push([
      { type: 'reasoning-delta', text: 'r1' },
      { type: 'reasoning-delta', text: 'r2' },
      { type: 'text-delta', text: 'a' },
      { type: 'image', url: 'https://i/x.png' },
      { type: 'text-delta', text: 'b' },
      { type: 'reasoning-delta', text: 'r3' },
      { type: 'text-delta', text: '' },
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { reasoning_content: 'r1r2' },
      { content: 'a\n\n![image](https://i/x.png)b' },
      { reasoning_content: 'r3' },
    ]);
  });

  it('renders an image at the start without a leading blank line', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: false });
    expect(encoder.push([{ type: 'image', url: 'https://i/(1).png' }])[0]?.choices[0]?.delta).toEqual({ content: '![image](https://i/%281%29.png)' });
  });

  it('ends with sources, the finish reason and real usage', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: true });
    encoder.push([
      { type: 'citation', url: 'https://a', title: 'A [x]' },
      { type: 'citation', url: 'https://a', title: 'dup' },
      { type: 'citation', url: 'https://b' },
      { type: 'finish', finishReason: 'length', usage: { promptTokens: 1, completionTokens: 2 } },
      { type: 'text-delta', text: 'after finish is dropped' },
    ]);
    expect(encoder.finished).toBe(true);
    const end = encoder.end();
    expect(end.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { content: '\n\nSources:\n1. [A  x](https://a)\n2. [https://b](https://b)' },
      {},
      null,
    ]);
    expect(end[1]?.choices[0]?.finish_reason).toBe('length');
    expect(end[2]).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
  });

  it('reports usage null when upstream gave none, stop when no finish came, no usage chunk unless asked', () => {
    const withUsage = new ChatChunkEncoder({ ...identity, includeUsage: true });
    expect(withUsage.end().map((chunk) => chunk.usage)).toEqual([undefined, null]);
    expect(withUsage.end()[0]?.choices[0]?.finish_reason).toBe('stop');
    expect(new ChatChunkEncoder({ ...identity, includeUsage: false }).end()).toHaveLength(1);
  });

  it('formats chunks as one SSE event each', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: false });
    const text = formatChunks(encoder.push([{ type: 'text-delta', text: 'x' }, { type: 'reasoning-delta', text: 'y' }]));
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(2);
    expect(text.startsWith('data: {"id":"chatcmpl-1"')).toBe(true);
  });
});

describe('ChatChunkEncoder.encode', () => {
  it('frames exactly the chunks push returns, batch after batch', () => {
    const batches: ChatEvent[][] = [
      [{ type: 'text-delta', text: 'Hé "quoted"\n' }, { type: 'text-delta', text: 'line 2 🙂' }],
      [{ type: 'reasoning-delta', text: 'think' }, { type: 'text-delta', text: 'a' }, { type: 'reasoning-delta', text: 'more' }],
      [{ type: 'image', url: 'https://i/x.png' }, { type: 'citation', url: 'https://s/1', title: 'S' }],
      [{ type: 'text-delta', text: '' }],
      [{ type: 'finish', finishReason: 'stop' }, { type: 'text-delta', text: 'dropped' }],
    ];
    const options = { id: 'chatcmpl-1', created: 1, model: 'm "x"', includeUsage: false };
    const viaPush = new ChatChunkEncoder(options);
    const viaEncode = new ChatChunkEncoder(options);
    for (const batch of batches) expect(viaEncode.encode(batch)).toBe(formatChunks(viaPush.push(batch)));
    expect(formatChunks(viaEncode.end())).toBe(formatChunks(viaPush.end()));
  });
});
