import type { ChatAnswer, FinishReason } from '../core/chat/chat-types.js';
import { AnswerText } from '../core/chat/answer-content.js';
import type { Citation } from '../core/chat/answer-markdown.js';

/** A whole answer, gathered for a non-streaming response. */
export interface CollectedAnswer {
  /** Text with images as markdown and the sources list appended, as a stream would show it. */
  content: string;
  reasoning: string;
  images: Array<{ url: string; mimeType?: string }>;
  citations: Citation[];
  finishReason: FinishReason;
  /** Upstream's token counts; absent when upstream gave none. */
  usage?: { promptTokens: number; completionTokens: number };
}

/**
 * Reads an answer's events to the end. Errors thrown by the iterator propagate (they are
 * BridgeErrors from core); events after `finish` are ignored.
 */
export async function collectAnswer(answer: ChatAnswer): Promise<CollectedAnswer> {
  const content = new AnswerText();
  let reasoning = '';
  const images: CollectedAnswer['images'] = [];
  let finish: { finishReason: FinishReason; usage?: CollectedAnswer['usage'] } | undefined;
  for await (const batch of answer.events) {
    for (const event of batch) {
      if (finish !== undefined) break;
      content.add(event);
      switch (event.type) {
        case 'reasoning-delta': reasoning += event.text; break;
        case 'image': images.push(event.mimeType === undefined ? { url: event.url } : { url: event.url, mimeType: event.mimeType }); break;
        case 'finish': finish = event.usage === undefined ? { finishReason: event.finishReason } : { finishReason: event.finishReason, usage: event.usage }; break;
      }
    }
  }
  return { content: content.text, reasoning, images, citations: [...content.citations], finishReason: finish?.finishReason ?? 'stop', ...(finish?.usage === undefined ? {} : { usage: finish.usage }) };
}
