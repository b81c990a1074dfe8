/**
 * The `chat.completion.chunk` wire format and SSE framing (chat answers and the events feed). This
 * is the only module that knows what a streamed answer or event looks like on the wire.
 */
import type { ChatAnswer, AnswerEvent, FinishReason } from '../core/chat/chat-types.js';
import { AnswerContent } from '../core/chat/answer-content.js';
import type { ChatCompletionChunkWire, ConversationWire, UsageWire } from './chat-completion-wire.js';
import type { ErrorBodyWire } from './render-error.js';

/** One SSE event: an optional `id` and `event` name, and the data. */
export interface SseEvent {
  id?: number | string;
  /** The event name a browser's `EventSource` dispatches on; absent means `message`. */
  event?: string;
  /** The payload; multi-line text becomes several `data:` lines. */
  data: string;
}

function sseField(name: string, value: string): string {
  // A line break would end the field early and let the rest of the value forge other fields.
  if (/[\r\n\0]/.test(value)) throw new TypeError(`An SSE ${name} must not contain CR, LF or NUL: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Frames one SSE event: `id:` and `event:` lines (throwing on CR, LF or NUL in them), then one
 * `data:` line per line of the data. Every SSE frame of the bridge is built here, except the chat
 * chunks of {@link ChatChunkEncoder} (the streaming fast path).
 * @example formatSseEvent({ id: 3, event: 'ready', data: '{}' }) // 'id: 3\nevent: ready\ndata: {}\n\n'
 * @example formatSseEvent({ data: 'a\nb' }) // 'data: a\ndata: b\n\n'
 */
export function formatSseEvent(event: SseEvent): string {
  let head = '';
  if (event.id !== undefined) head += `id: ${sseField('id', String(event.id))}\n`;
  if (event.event !== undefined) head += `event: ${sseField('event name', event.event)}\n`;
  return `${head}${event.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n')}\n\n`;
}

/** An SSE comment line that keeps proxies and clients from timing out while nothing else flows. */
export const SSE_PING = ': ping\n\n';

/** The terminator every OpenAI stream ends with, sent exactly once. */
export const SSE_DONE = formatSseEvent({ data: '[DONE]' });

/** Frames an OpenAI error body as the in-stream error event the official SDK raises. */
export function formatSseError(body: ErrorBodyWire): string {
  return formatSseEvent({ data: JSON.stringify(body) });
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
 * Turns an answer into `chat.completion.chunk` SSE text: {@link start}, {@link encode} for each
 * pulled batch of ChatEvents, {@link end}. Consecutive deltas of the same kind in one batch are
 * merged into one chunk; the content is the client's view of core's {@link AnswerContent}, whose
 * sources list closes the content at the end. This is the fast path of the SSE framing: a chunk's
 * JSON text never holds a raw CR or LF (JSON escapes them inside strings), so each chunk is one
 * `data:` line without the line splitting of {@link formatSseEvent}.
 */
export class ChatChunkEncoder {
  readonly #options: ChunkEncoderOptions;
  readonly #content = new AnswerContent();
  #finish: Extract<AnswerEvent, { type: 'finish' }> | undefined;
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

  #chunk(delta: ChatCompletionChunkWire['choices'][number]['delta'], finishReason: FinishReason | null = null): ChatCompletionChunkWire {
    const { id, created, model } = this.#options;
    return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
  }

  /** The first chunk: the assistant role, plus the vendor `conversation` when the answer has one. */
  start(conversation?: ChatAnswer['conversation']): string {
    const chunk = this.#chunk({ role: 'assistant', content: '' });
    if (conversation !== undefined) {
      const wire: ConversationWire = { conversationId: conversation.conversationId, evaluationSessionId: conversation.evaluationSessionId };
      chunk.conversation = wire;
    }
    return frameChunks([chunk]);
  }

  /**
   * The delta chunks of one pulled batch of events (`''` when the batch adds none); events after
   * `finish` are dropped. This runs once per batch on the streaming hot path, so only the delta
   * text is serialised; the rest is the shared prefix.
   */
  encode(events: readonly AnswerEvent[]): string {
    let text = '';
    for (const [kind, delta] of this.#runs(events)) text += `${this.#deltaPrefix}{"${kind}":${JSON.stringify(delta)}},"finish_reason":null}]}\n\n`;
    return text;
  }

  /** Merges a batch into runs of one delta kind; `finish` is noted. */
  #runs(events: readonly AnswerEvent[]): Array<[DeltaKind, string]> {
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
    };
    for (const event of events) {
      if (this.#finish !== undefined) break;
      if (event.type === 'reasoning-delta') append('reasoning_content', event.text);
      else if (event.type === 'finish') this.#finish = event;
      else {
        const piece = this.#content.add(event);
        if (piece !== undefined) append('content', piece);
      }
    }
    if (kind !== undefined && text !== '') runs.push([kind, text]);
    return runs;
  }

  /**
   * The closing chunks: the sources list (if any), the chunk with `finish_reason`, then, when usage
   * was requested, a `choices: []` chunk with upstream's usage or `null` (never an estimate).
   */
  end(): string {
    const chunks: ChatCompletionChunkWire[] = [];
    const sources = this.#content.sources();
    if (sources !== '') chunks.push(this.#chunk({ content: sources }));
    chunks.push(this.#chunk({}, this.#finish?.finishReason ?? 'stop'));
    if (this.#options.includeUsage) {
      const { id, created, model } = this.#options;
      chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: toUsageWire(this.#finish?.usage) ?? null });
    }
    return frameChunks(chunks);
  }
}

/** Chunks as SSE text, one `data:` line each (see {@link ChatChunkEncoder} for why no splitting). */
function frameChunks(chunks: readonly ChatCompletionChunkWire[]): string {
  let text = '';
  for (const chunk of chunks) text += `data: ${JSON.stringify(chunk)}\n\n`;
  return text;
}

/** Upstream usage in OpenAI's shape, or undefined when upstream gave none. */
export function toUsageWire(usage: { promptTokens: number; completionTokens: number } | undefined): UsageWire | undefined {
  if (usage === undefined) return undefined;
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens };
}
