import type { ChatAnswer } from '../core/chat/chat-types.js';
import type { ChatCompletionWire } from './chat-completion-wire.js';
import type { CollectedAnswer } from './collect-answer.js';
import { toUsageWire } from './sse.js';

/**
 * The non-streaming `chat.completion` body. `reasoning_content` appears only when the model
 * reasoned, `usage` only when upstream reported it, `conversation` only when core returned one.
 */
export function toChatCompletionBody(
  collected: CollectedAnswer,
  identity: { id: string; created: number; model: string; conversation?: ChatAnswer['conversation'] },
): ChatCompletionWire {
  const message: ChatCompletionWire['choices'][number]['message'] = { role: 'assistant', content: collected.content };
  if (collected.reasoning !== '') message.reasoning_content = collected.reasoning;
  const body: ChatCompletionWire = {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message, finish_reason: collected.finishReason }],
  };
  const usage = toUsageWire(collected.usage);
  if (usage !== undefined) body.usage = usage;
  if (identity.conversation !== undefined) {
    body.conversation = { conversationId: identity.conversation.conversationId, evaluationSessionId: identity.conversation.evaluationSessionId };
  }
  return body;
}
