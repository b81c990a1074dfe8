/**
 * The `chat.completion.chunk` wire format and SSE framing (chat answers and the events feed). This
 * is the only module that knows what a streamed answer or event looks like on the wire.
 */
import type { ChatAnswer, ChatEvent, ChatFinishReason } from '../core/chat-types.js';
import { citationsMarkdown, mediaContent, type Citation } from '../core/answer-markdown.js';
import type { ChatCompletionChunkWire, ConversationWire, UsageWire } from './chat-completion-wire.js';
import type { ErrorBodyWire } from './render-error.js';

/** An SSE comment line that keeps proxies and clients from timing out while nothing else flows. */
export const SSE_PING = ': ping\n\n';

/** The terminator every OpenAI stream ends with, sent exactly once. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** Frames text as one SSE `data:` event; multi-line text becomes several `data:` lines. */
export function formatSseData(data: string): string {
  return `${data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n')}\n\n`;
}

/** One SSE event: an optional `id` and `event` name, and the data (framed as by {@link formatSseData}). */
export interface SseEvent {
  id?: number | string;
  /** The event name a browser's `EventSource` dispatches on; absent means `message`. */
  event?: string;
  data: string;
}

function sseField(name: string, value: string): string {
  // A line break would end the field early and let the rest of the value forge other fields.
  if (/[\r\n\0]/.test(value)) throw new TypeError(`An SSE ${name} must not contain CR, LF or NUL: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Frames a named SSE event: `id:` and `event:` lines (throwing on CR, LF or NUL in them), then the
 * data lines.
 * @example formatSseEvent({ id: 3, event: 'ready', data: '{}' }) // 'id: 3\nevent: ready\ndata: {}\n\n'
 */
export function formatSseEvent(event: SseEvent): string {
  let head = '';
  if (event.id !== undefined) head += `id: ${sseField('id', String(event.id))}\n`;
  if (event.event !== undefined) head += `event: ${sseField('event name', event.event)}\n`;
  return head + formatSseData(event.data);
}

/** Frames an OpenAI error body as the in-stream error event the official SDK raises. */
export function formatSseError(body: ErrorBodyWire): string {
  return formatSseData(JSON.stringify(body));
}

/** Identity shared by every chunk of one answer. */
export interface ChunkEncoderOptions {
  /** `chatcmpl-…` */
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  /** `stream_options.include_usage`: end with a `choices: []` chunk carrying usage (or null). */
  includeUsage: boolean;
}

type DeltaKind = 'content' | 'reasoning_content';

/**
 * Turns batches of ChatEvents into chunks. Consecutive deltas of the same kind in one batch are
 * merged into one chunk; citations are held back and appended to the content at the end.
 */
export class ChatChunkEncoder {
  readonly #options: ChunkEncoderOptions;
  readonly #citations: Citation[] = [];
  #hasContent = false;
  #finish: Extract<ChatEvent, { type: 'finish' }> | undefined;
  /** `data: {"id":…,"model":…,"choices":[{"index":0,"delta":` — the part every delta chunk shares. */
  readonly #deltaPrefix: string;

  constructor(options: ChunkEncoderOptions) {
    this.#options = options;
    const { id, created, model } = options;
    const head = JSON.stringify({ id, object: 'chat.completion.chunk', created, model });
    this.#deltaPrefix = `data: ${head.slice(0, -1)},"choices":[{"index":0,"delta":`;
  }

  /** Whether a `finish` event has been seen. */
  get finished(): boolean {
    return this.#finish !== undefined;
  }

  #chunk(delta: ChatCompletionChunkWire['choices'][number]['delta'], finishReason: ChatFinishReason | null = null): ChatCompletionChunkWire {
    const { id, created, model } = this.#options;
    return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
  }

  /** The first chunk: the assistant role, plus the vendor `conversation` when the answer has one. */
  start(conversation?: ChatAnswer['conversation']): ChatCompletionChunkWire {
    const chunk = this.#chunk({ role: 'assistant', content: '' });
    if (conversation !== undefined) {
      const wire: ConversationWire = { conversationId: conversation.conversationId, evaluationSessionId: conversation.evaluationSessionId };
      chunk.conversation = wire;
    }
    return chunk;
  }

  /** Chunks for one pulled batch of events; events after `finish` are dropped. */
  push(events: readonly ChatEvent[]): ChatCompletionChunkWire[] {
    return this.#runs(events).map(([kind, text]) => this.#chunk({ [kind]: text }));
  }

  /**
   * The same chunks as {@link push}, already framed as SSE text. This runs once per pulled batch on
   * the streaming hot path, so only the delta text is serialised; the rest is a shared prefix.
   */
  encode(events: readonly ChatEvent[]): string {
    let text = '';
    for (const [kind, delta] of this.#runs(events)) text += `${this.#deltaPrefix}{"${kind}":${JSON.stringify(delta)}},"finish_reason":null}]}\n\n`;
    return text;
  }

  /** Merges a batch into runs of one delta kind; citations are held back, `finish` is noted. */
  #runs(events: readonly ChatEvent[]): Array<[DeltaKind, string]> {
    const runs: Array<[DeltaKind, string]> = [];
    let kind: DeltaKind | undefined;
    let text = '';
    const append = (next: DeltaKind, piece: string): void => {
      if (kind !== next) {
        if (kind !== undefined && text !== '') runs.push([kind, text]);
        kind = next;
        text = '';
      }
      text += piece;
      if (next === 'content' && piece !== '') this.#hasContent = true;
    };
    for (const event of events) {
      if (this.#finish !== undefined) break;
      switch (event.type) {
        case 'text-delta': append('content', event.text); break;
        case 'reasoning-delta': append('reasoning_content', event.text); break;
        case 'image':
        case 'video': append('content', mediaContent(event.type, event.url, this.#hasContent)); break;
        case 'citation': this.#citations.push({ url: event.url, ...(event.title === undefined ? {} : { title: event.title }) }); break;
        case 'finish': this.#finish = event; break;
      }
    }
    if (kind !== undefined && text !== '') runs.push([kind, text]);
    return runs;
  }

  /**
   * The closing chunks: the sources list (if any), the chunk with `finish_reason`, then, when usage
   * was requested, a `choices: []` chunk with upstream's usage or `null` (never an estimate).
   */
  end(): ChatCompletionChunkWire[] {
    const chunks: ChatCompletionChunkWire[] = [];
    const sources = citationsMarkdown(this.#citations);
    if (sources !== '') chunks.push(this.#chunk({ content: sources }));
    chunks.push(this.#chunk({}, this.#finish?.finishReason ?? 'stop'));
    if (this.#options.includeUsage) {
      const { id, created, model } = this.#options;
      chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: toUsageWire(this.#finish?.usage) ?? null });
    }
    return chunks;
  }
}

/** Upstream usage in OpenAI's shape, or undefined when upstream gave none. */
export function toUsageWire(usage: { promptTokens: number; completionTokens: number } | undefined): UsageWire | undefined {
  if (usage === undefined) return undefined;
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens };
}

/**
 * Encodes chunks as SSE text, one event per chunk. JSON text never holds a raw CR or LF (they are
 * escaped inside strings), so each chunk is one `data:` line without the line splitting of
 * {@link formatSseData}; this runs once per pulled batch.
 */
export function formatChunks(chunks: readonly ChatCompletionChunkWire[]): string {
  let text = '';
  for (const chunk of chunks) text += `data: ${JSON.stringify(chunk)}\n\n`;
  return text;
}
