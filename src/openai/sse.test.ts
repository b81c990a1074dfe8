import { describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../core/chat/chat-types.js';
import type { ChatCompletionChunkWire } from './chat-completion-wire.js';
import { ChatChunkEncoder, formatSseError, formatSseEvent, SSE_DONE, SSE_PING } from './sse.js';

const identity = { id: 'chatcmpl-1', created: 1700000000, model: 'm' };

/** The chunks of SSE text, checking that each is exactly one `data:` line. */
function chunksOf(text: string): ChatCompletionChunkWire[] {
  expect(text.endsWith('\n\n') || text === '').toBe(true);
  return text.split('\n\n').filter(Boolean).map((frame) => {
    expect(frame).toMatch(/^data: [^\n]*$/);
    return JSON.parse(frame.slice('data: '.length)) as ChatCompletionChunkWire;
  });
}

describe('formatSseEvent', () => {
  it('frames data alone as one event, and splits multi-line data into several data lines', () => {
    expect(formatSseEvent({ data: '{"a":1}' })).toBe('data: {"a":1}\n\n');
    expect(formatSseEvent({ data: 'a\nb\r\nc' })).toBe('data: a\ndata: b\ndata: c\n\n');
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
    expect(SSE_PING).toBe(': ping\n\n');
  });

  it('frames errors as OpenAI error events', () => {
    expect(formatSseError({ error: { message: 'm', type: 't', param: null, code: 'c' } })).toMatchInlineSnapshot(`
      "data: {"error":{"message":"m","type":"t","param":null,"code":"c"}}

      "
    `);
  });

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
    expect(chunksOf(encoder.start({ conversationId: 'c', evaluationSessionId: 'e' }))).toEqual([{
      ...identity,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      conversation: { conversationId: 'c', evaluationSessionId: 'e' },
    }]);
    expect(chunksOf(encoder.start())[0]).not.toHaveProperty('conversation');
  });

  it('merges consecutive deltas of the same kind and keeps order across kinds', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: false });
    const chunks = chunksOf(encoder.encode([
      { type: 'reasoning-delta', text: 'r1' },
      { type: 'reasoning-delta', text: 'r2' },
      { type: 'text-delta', text: 'a' },
      { type: 'image', url: 'https://i/x.png' },
      { type: 'text-delta', text: 'b' },
      { type: 'reasoning-delta', text: 'r3' },
      { type: 'text-delta', text: '' },
    ]));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { reasoning_content: 'r1r2' },
      { content: 'a\n\n![image](https://i/x.png)b' },
      { reasoning_content: 'r3' },
    ]);
  });

  it('renders an image at the start without a leading blank line, and a video as a link', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: false });
    expect(chunksOf(encoder.encode([{ type: 'image', url: 'https://i/(1).png' }]))[0]?.choices[0]?.delta).toEqual({ content: '![image](https://i/%281%29.png)' });
    expect(chunksOf(encoder.encode([{ type: 'video', url: 'https://v/1.mp4' }]))[0]?.choices[0]?.delta).toEqual({ content: '\n\n[video](https://v/1.mp4)' });
  });

  it('ends with sources, the finish reason and real usage', () => {
    const encoder = new ChatChunkEncoder({ ...identity, includeUsage: true });
    expect(encoder.encode([
      { type: 'citation', url: 'https://a', title: 'A [x]' },
      { type: 'citation', url: 'https://a', title: 'dup' },
      { type: 'citation', url: 'https://b' },
      { type: 'finish', finishReason: 'length', usage: { promptTokens: 1, completionTokens: 2 } },
      { type: 'text-delta', text: 'after finish is dropped' },
    ])).toBe('');
    expect(encoder.finished).toBe(true);
    const end = chunksOf(encoder.end());
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
    expect(chunksOf(withUsage.end()).map((chunk) => chunk.usage)).toEqual([undefined, null]);
    expect(chunksOf(withUsage.end())[0]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunksOf(new ChatChunkEncoder({ ...identity, includeUsage: false }).end())).toHaveLength(1);
  });

  it('frames every delta chunk as the whole chunk object would serialise, batch after batch', () => {
    const batches: AnswerEvent[][] = [
      [{ type: 'text-delta', text: 'Hé "quoted"\n' }, { type: 'text-delta', text: 'line 2 🙂' }],
      [{ type: 'reasoning-delta', text: 'think' }, { type: 'text-delta', text: 'a' }, { type: 'reasoning-delta', text: 'more' }],
      [{ type: 'image', url: 'https://i/x.png' }, { type: 'citation', url: 'https://s/1', title: 'S' }],
      [{ type: 'text-delta', text: '' }],
      [{ type: 'finish', finishReason: 'stop' }, { type: 'text-delta', text: 'dropped' }],
    ];
    const chunk = (delta: ChatCompletionChunkWire['choices'][number]['delta']): string =>
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm "x"', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    const encoder = new ChatChunkEncoder({ id: 'chatcmpl-1', created: 1, model: 'm "x"', includeUsage: false });
    expect(batches.map((batch) => encoder.encode(batch))).toEqual([
      chunk({ content: 'Hé "quoted"\nline 2 🙂' }),
      chunk({ reasoning_content: 'think' }) + chunk({ content: 'a' }) + chunk({ reasoning_content: 'more' }),
      chunk({ content: '\n\n![image](https://i/x.png)' }),
      '',
      '',
    ]);
    expect(encoder.end()).toBe(
      chunk({ content: '\n\nSources:\n1. [S](https://s/1)' })
      + `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm "x"', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
    );
  });
});
