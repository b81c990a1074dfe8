import type { ChatMessage } from './chat-types.js';
import { conversationKey } from './conversation-key.js';
import type { ConversationRecord, ConversationStore } from './conversation-store.js';

/**
 * Stores a completed answer under two history hashes: the history with the answer appended (a
 * next user turn continues it) and, when it ended with a user turn, the history that produced it
 * (resending exactly that history asks for a regeneration).
 */
export function rememberAnswer(
  conversations: ConversationStore,
  messages: readonly ChatMessage[],
  answerText: string,
  record: ConversationRecord,
): void {
  if (messages.at(-1)?.role === 'user') conversations.put(conversationKey(messages), record);
  conversations.put(conversationKey([...messages, { role: 'assistant', content: answerText, attachments: [] }]), record);
}
