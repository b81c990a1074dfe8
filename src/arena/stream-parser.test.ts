import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeChunksFixture } from './__fixtures__/decode-chunks-fixture.js';
import { createStreamParser, parseStreamText } from './stream-parser.js';
import type { ArenaErrorKind, ArenaEvent } from './types.js';

function chunksOf(name: string): Uint8Array[] {
  return decodeChunksFixture(readFileSync(new URL(`./__fixtures__/${name}.chunks.txt`, import.meta.url), 'utf8'));
}

function parseChunks(chunks: (Uint8Array | string)[]): ArenaEvent[] {
  const parser = createStreamParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.end()];
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

const textOf = (events: ArenaEvent[], side: 'a' | 'b' = 'a'): string =>
  events.map((event) => (event.type === 'text-delta' && event.side === side ? event.text : '')).join('');
const errorKinds = (events: ArenaEvent[]): ArenaErrorKind[] =>
  events.flatMap((event) => (event.type === 'error' ? [event.error.kind] : []));

describe('createStreamParser on recorded fixtures', () => {
  it('parses a direct chat with reasoning, split UTF-8 and a finish split mid-JSON', () => {
    const events = parseChunks(chunksOf('direct-reasoning'));
    expect(events).toEqual([
      { type: 'step-start', side: 'a', messageId: '019c0b5e-2f10-7a41-9c3e-5b1f0e8d2a77' },
      { type: 'reasoning-delta', side: 'a', text: 'The user greets me; ' },
      { type: 'reasoning-delta', side: 'a', text: 'reply briefly.' },
      { type: 'text-delta', side: 'a', text: 'Hi! ' },
      { type: 'text-delta', side: 'a', text: 'Ça va? ' },
      { type: 'text-delta', side: 'a', text: '你好, how can I help today?' },
      { type: 'finish', side: 'a', finishReason: 'stop', usage: { promptTokens: 9, completionTokens: 6 } },
    ]);
  });

  it('gives the same events when the body arrives one byte at a time or all at once', () => {
    const chunks = chunksOf('direct-reasoning');
    const whole = concat(chunks);
    const byteByByte = Array.from(whole, (byte) => Uint8Array.of(byte));
    expect(parseChunks(byteByByte)).toEqual(parseChunks(chunks));
    expect(parseChunks([whole])).toEqual(parseChunks(chunks));
  });

  it('decodes a UTF-8 character split between two Uint8Array chunks', () => {
    const bytes = new TextEncoder().encode('a0:"€"\nad:{"finishReason":"stop"}\n');
    const events = parseChunks([bytes.subarray(0, 5), bytes.subarray(5, 6), bytes.subarray(6)]);
    expect(textOf(events)).toBe('€');
    expect(errorKinds(events)).toEqual([]);
  });

  it('keeps battle sides apart, side A finishing unknown and usage on side B', () => {
    const events = parseChunks(chunksOf('battle'));
    expect(textOf(events, 'a')).toBe('Paris is the capital of France.');
    expect(textOf(events, 'b')).toBe('The capital of France is Paris.');
    expect(events.filter((event) => event.type === 'finish')).toEqual([
      { type: 'finish', side: 'a', finishReason: 'stop' },
      { type: 'finish', side: 'b', finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 7 } },
    ]);
    expect(errorKinds(events)).toEqual([]);
  });

  it('reads heartbeats, routed model, images (url and data URI) and ignores unknown data items', () => {
    expect(parseChunks(chunksOf('image-heartbeat'))).toEqual([
      { type: 'heartbeat', side: 'a' },
      { type: 'heartbeat', side: 'a' },
      { type: 'routed-model', side: 'a', organization: 'google' },
      { type: 'image', side: 'a', url: 'https://images.example.invalid/gen/7f3a.png', mimeType: 'image/png' },
      { type: 'image', side: 'a', url: 'data:image/webp;base64,UklGRg==', mimeType: 'image/webp' },
      { type: 'finish', side: 'a', finishReason: 'stop' },
    ]);
  });

  it('collects citations, drops repeated urls, and joins a delta split over two records', () => {
    const events = parseChunks(chunksOf('search-citations'));
    expect(events.filter((event) => event.type === 'citation')).toEqual([
      { type: 'citation', side: 'a', url: 'https://blog.example.invalid/rust-1-80', title: 'Rust 1.80' },
      { type: 'citation', side: 'a', url: 'https://docs.example.invalid/release', title: 'Release notes' },
      { type: 'citation', side: 'a', url: 'https://news.example.invalid/rust', title: 'News' },
    ]);
    expect(textOf(events)).toBe('Rust 1.80 was released in July 2024 [1].');
    expect(errorKinds(events)).toEqual([]);
  });

  it('turns an a3 record into a transient provider error, and the finish with reason error after it into nothing more', () => {
    const events = parseChunks(chunksOf('provider-error'));
    expect(events).toEqual([
      { type: 'error', side: 'a', error: { kind: 'provider-error', message: 'Resource exhausted. Please try again later.', transient: true } },
    ]);
  });

  it('reports a finish with reason error and no error record as a provider error', () => {
    expect(parseStreamText('a0:"x"\nad:{"finishReason":"error"}\n')).toEqual([
      { type: 'text-delta', side: 'a', text: 'x' },
      { type: 'error', side: 'a', error: { kind: 'provider-error', message: 'The model finished with an error.' } },
    ]);
  });

  it('maps the site\'s finish reasons to the clients\' vocabulary', () => {
    const reasonOf = (reason: string) => parseStreamText(`ad:{"finishReason":"${reason}"}\n`)[0];
    expect(reasonOf('content-filter')).toMatchObject({ finishReason: 'content_filter' });
    expect(reasonOf('tool-calls')).toMatchObject({ finishReason: 'tool_calls' });
    expect(reasonOf('length')).toMatchObject({ finishReason: 'length' });
    expect(reasonOf('other')).toMatchObject({ finishReason: 'stop' });
  });

  it('reports hasArenaError as model-unavailable and no truncation after it', () => {
    const events = parseChunks(chunksOf('has-arena-error'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', side: 'a', error: { kind: 'model-unavailable' } });
  });

  it('reports a body cut mid-record and mid-UTF-8 as truncated, keeping the text before it', () => {
    const events = parseChunks(chunksOf('truncated'));
    expect(textOf(events)).toBe('Partial answer ');
    expect(errorKinds(events)).toEqual(['truncated']);
  });

  it('reports one challenge per side for a Cloudflare page and ignores everything after it', () => {
    const events = parseChunks(chunksOf('cloudflare-challenge'));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'error', side: 'a', error: { kind: 'challenge' } });
    expect(events[1]).toMatchObject({ type: 'error', side: 'b', error: { kind: 'challenge' } });
  });

  it('reports other HTML as a server error, once per side', () => {
    const parser = createStreamParser();
    expect(parser.push('\n<!DOCTYPE html><html><head><title>500: Internal Server Error</title>')).toEqual([]);
    expect(parser.push('</head><body>oops</body></html>')).toEqual([]);
    const events = parser.end();
    expect(errorKinds(events)).toEqual(['server-error', 'server-error']);
    expect(events.map((event) => event.side)).toEqual(['a', 'b']);
  });

  it('handles CRLF, CR and LF split across chunks, blank lines and data: prefixes', () => {
    const events = parseChunks(chunksOf('crlf-data-prefix'));
    expect(textOf(events)).toBe('Hello, world!');
    expect(errorKinds(events)).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'finish', side: 'a', finishReason: 'stop' });
  });

  it('reports an empty body as empty-stream', () => {
    expect(errorKinds(parseChunks(chunksOf('empty')))).toEqual(['empty-stream', 'empty-stream']);
    expect(errorKinds(parseChunks([]))).toEqual(['empty-stream', 'empty-stream']);
  });

  it('reports malformed records and keeps parsing, ignoring tolerated codes', () => {
    const events = parseChunks(chunksOf('malformed'));
    expect(errorKinds(events)).toEqual(['malformed', 'malformed', 'malformed']);
    expect(textOf(events)).toBe('ok still ok');
    expect(events.at(-1)).toEqual({ type: 'finish', side: 'a', finishReason: 'stop' });
  });
});

describe('createStreamParser details', () => {
  it('parses 500 records in one chunk', () => {
    const body = `${Array.from({ length: 500 }, (_, index) => `a0:"${index},"`).join('\n')}\nad:{"finishReason":"stop"}\n`;
    const events = parseStreamText(body);
    expect(events).toHaveLength(501);
    expect(textOf(events).split(',')).toHaveLength(501);
  });

  it('keeps a record split mid-JSON until its newline arrives', () => {
    const parser = createStreamParser();
    expect(parser.push('a0:"Hel')).toEqual([]);
    expect(parser.push('lo \\"wor')).toEqual([]);
    expect(parser.push('ld\\""\na0')).toEqual([{ type: 'text-delta', side: 'a', text: 'Hello "world"' }]);
    expect(parser.push(':"!"\n')).toEqual([{ type: 'text-delta', side: 'a', text: '!' }]);
  });

  it('accepts a final record without its trailing newline', () => {
    expect(parseStreamText('a0:"x"\nad:{"finishReason":"length"}')).toEqual([
      { type: 'text-delta', side: 'a', text: 'x' },
      { type: 'finish', side: 'a', finishReason: 'length' },
    ]);
  });

  it('reads reasoning objects and ignores empty deltas', () => {
    expect(parseStreamText('ag:{"text":"t1"}\nag:{"thinking":"t2"}\nag:""\na0:""\nad:{"finishReason":"stop"}\n')).toEqual([
      { type: 'reasoning-delta', side: 'a', text: 't1' },
      { type: 'reasoning-delta', side: 'a', text: 't2' },
      { type: 'finish', side: 'a', finishReason: 'stop' },
    ]);
  });

  it('reads video items and a finish without a reason', () => {
    expect(parseStreamText('a2:[{"type":"video","url":"https://v.example.invalid/1.mp4","mimeType":"video/mp4"},{"type":"video"}]\nad:{}\n')).toEqual([
      { type: 'video', side: 'a', url: 'https://v.example.invalid/1.mp4', mimeType: 'video/mp4' },
      { type: 'finish', side: 'a', finishReason: 'stop' },
    ]);
  });

  it('drops usage that is not two numbers but keeps the finish', () => {
    expect(parseStreamText('ad:{"finishReason":"stop","usage":{"promptTokens":"9"}}\n')).toEqual([{ type: 'finish', side: 'a', finishReason: 'stop' }]);
  });

  it('classifies a3 texts: moderation, unavailable, non-transient provider errors', () => {
    const kinds = parseStreamText([
      'a3:"content moderation blocked"',
      'b3:"model overloaded"',
      'ad:{"finishReason":"error"}',
      'bd:{"finishReason":"error"}',
    ].join('\n')).flatMap((event) => (event.type === 'error' ? [[event.side, event.error.kind, event.error.transient]] : []));
    expect(kinds).toEqual([['a', 'moderation', undefined], ['b', 'provider-error', true]]);
    const image = parseStreamText('a3:"Error during image generation with fal for model endpoint x: bad prompt"\n');
    expect(image).toEqual([{ type: 'error', side: 'a', error: { kind: 'provider-error', message: 'Error during image generation with fal for model endpoint x: bad prompt', transient: false } }]);
    expect(parseStreamText('a3:"Model not found"\n')[0]).toMatchObject({ error: { kind: 'model-unavailable' } });
  });

  it('reports truncation per side that started without finishing', () => {
    const events = parseStreamText('a0:"A"\nb0:"B"\nad:{"finishReason":"stop"}\n');
    expect(events.at(-1)).toMatchObject({ type: 'error', side: 'b', error: { kind: 'truncated' } });
    expect(errorKinds(events)).toEqual(['truncated']);
  });

  it('reports a side that only sent heartbeats as truncated', () => {
    expect(errorKinds(parseStreamText('a2:[{"type":"heartbeat"}]\n'))).toEqual(['truncated']);
  });

  it('detects a Cloudflare marker in a first line that is not markup', () => {
    expect(errorKinds(parseStreamText('window._cf_chl_opt={}\na0:"x"\n'))).toEqual(['challenge', 'challenge']);
  });

  it('takes text the page decoded as it is, a record split across text chunks included', () => {
    expect(parseChunks(['a0:"Ça', ' va"\nad:{"finishReason":"stop"}\n'])).toEqual([
      { type: 'text-delta', side: 'a', text: 'Ça va' },
      { type: 'finish', side: 'a', finishReason: 'stop' },
    ]);
  });

  it('ignores an SSE [DONE] from an intermediary, returns nothing after end, and refuses push after end', () => {
    const parser = createStreamParser();
    expect(parser.push('a0:"x"\ndata: [DONE]\nad:{"finishReason":"stop"}\n')).toHaveLength(2);
    expect(parser.end()).toEqual([]);
    expect(parser.end()).toEqual([]);
    expect(() => parser.push('a0:"y"\n')).toThrow();
  });

  it('stays linear for one very long record split into many chunks', () => {
    const payload = 'x'.repeat(4 * 1024 * 1024);
    const record = `a2:[{"type":"image","image":"data:image/png;base64,${payload}"}]\nad:{"finishReason":"stop"}\n`;
    const parser = createStreamParser();
    const started = performance.now();
    const events: ArenaEvent[] = [];
    for (let at = 0; at < record.length; at += 1024) events.push(...parser.push(record.slice(at, at + 1024)));
    events.push(...parser.end());
    expect(performance.now() - started).toBeLessThan(2000);
    expect(events[0]).toMatchObject({ type: 'image' });
    expect(events).toHaveLength(2);
  });
});
