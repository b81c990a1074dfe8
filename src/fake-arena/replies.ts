import type { Side } from '../arena/types.js';
import type { FakeModel } from './models.js';
import type { FakeAttachment } from './session-store.js';

/** One `<side><code>:<json>\n` record (§2.6). */
export function record(side: Side, code: string, value: unknown): string {
  return `${side}${code}:${JSON.stringify(value)}\n`;
}

/** What a model is answering. */
export interface ReplyInput {
  side: Side;
  model: FakeModel;
  prompt: string;
  /** User turns in the conversation, this one included. */
  turn: number;
  /** Messages the conversation held before this user message. */
  historyCount: number;
  /** Words in those messages (for deterministic usage). */
  historyWords: number;
  attachments: readonly FakeAttachment[];
  /** Describes one attachment for the vision model (e.g. with its stored size). */
  describeAttachment: (attachment: FakeAttachment) => string;
  regenerated: boolean;
  replyWords: number;
  /** Origin for generated media URLs. */
  origin: string;
  /** The assistant message id (names generated media). */
  messageId: string;
  /** Overrides the finish reason (battle side A may end with `unknown`). */
  finishReason?: string;
}

/** A reply: its records without and with the finish record, and the text it stores. */
export interface Reply {
  /** Content records (text, reasoning, data parts), in order. */
  body: string[];
  /** The `ad`/`bd` finish record. */
  finish: string;
  /** The assistant text the session stores. */
  text: string;
}

const FILLER = ['alpha', 'café', 'bravo', 'naïve', '日本語', 'charlie', 'über', '🙂', 'delta', 'ñandú', 'echo', '中文'];
/** Non-ASCII in every text reply, so split UTF-8 is exercised whenever records are split. */
const UNICODE_SAMPLE = 'héllo — 你好 🙂';

/** Counts words the way the fake's usage numbers do. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/** The deterministic reply text of echo-style models. */
export function replyText(input: ReplyInput): string {
  const regenerated = input.regenerated ? ' (regenerated)' : '';
  let text = `Echo #${input.turn}${regenerated}: ${input.prompt} (history: ${input.historyCount} messages)`;
  if (input.model.behavior === 'vision') {
    const described = input.attachments.map(input.describeAttachment);
    text += ` [attachments: ${described.length === 0 ? 'none' : described.join(', ')}]`;
  }
  const filler = Array.from({ length: Math.max(0, input.replyWords) }, (_, index) => FILLER[index % FILLER.length]);
  return [text, UNICODE_SAMPLE, ...filler].join(' ');
}

/** Splits text into word-sized deltas that concatenate back to the text. */
export function textDeltas(text: string): string[] {
  return text.split(/(?<= )/).filter((piece) => piece !== '');
}

/** Builds the records of one side's answer (§2.6, §13.2). */
export function buildReply(input: ReplyInput): Reply {
  const { side, model } = input;
  const text = replyText(input);
  const deltas = textDeltas(text).map((delta) => record(side, '0', delta));
  const finishValue: Record<string, unknown> = { finishReason: input.finishReason ?? 'stop' };
  if (model.usage) {
    finishValue.usage = { promptTokens: input.historyWords + countWords(input.prompt), completionTokens: countWords(text) };
  }
  const finish = record(side, 'd', finishValue);
  const heartbeat = record(side, '2', [{ type: 'heartbeat' }]);
  switch (model.behavior) {
    case 'reasoning': {
      const thinking = [`Thinking about turn ${input.turn}. `, `The prompt has ${countWords(input.prompt)} words; `, 'answer by echoing it.'];
      return {
        body: [record(side, 'f', { messageId: input.messageId }), ...thinking.map((part) => record(side, 'g', part)), ...deltas],
        finish,
        text,
      };
    }
    case 'image': {
      const url = `${input.origin}/images/${input.messageId}.png`;
      return {
        body: [heartbeat, heartbeat, record(side, '2', [{ type: 'image', image: url, mimeType: 'image/png' }])],
        finish,
        text: `![Image](${url})`,
      };
    }
    case 'video': {
      const url = `${input.origin}/videos/${input.messageId}.mp4`;
      return {
        body: [heartbeat, heartbeat, record(side, '2', [{ type: 'video', url, mimeType: 'video/mp4' }])],
        finish,
        text: url,
      };
    }
    case 'search': {
      const middle = Math.ceil(deltas.length / 2);
      const source = { source: { url: 'https://docs.example.invalid/fake-arena', title: 'Fake Arena documentation', id: 'src-1' } };
      const citation = record(side, 'c', { toolCallId: 'citation-source', argsTextDelta: JSON.stringify(source) });
      const routed = record(side, '2', [{ type: 'routed_model', organization: model.organization ?? 'unknown' }]);
      return { body: [routed, ...deltas.slice(0, middle), citation, ...deltas.slice(middle)], finish, text };
    }
    default:
      return { body: deltas, finish, text };
  }
}

/** Interleaves two sides' records, one record of each in turn (battle / side-by-side). */
export function interleave(first: readonly string[], second: readonly string[]): string[] {
  const merged: string[] = [];
  for (let index = 0; index < Math.max(first.length, second.length); index += 1) {
    if (index < first.length) merged.push(first[index] ?? '');
    if (index < second.length) merged.push(second[index] ?? '');
  }
  return merged;
}
