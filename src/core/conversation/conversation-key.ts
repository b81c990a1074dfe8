import { hash } from 'node:crypto';
import type { ChatMessage } from '../chat/chat-types.js';

/** The parts of a message that identify a conversation state. */
export type KeyedMessage = Pick<ChatMessage, 'role' | 'content'> & { attachments?: ChatMessage['attachments'] };

/**
 * A stable hash of a message history. Content is trimmed because clients often re-send an answer
 * with its surrounding whitespace normalised; attachments count by URL.
 */
export function conversationKey(messages: readonly KeyedMessage[]): string {
  // One string and one hash call: each update() is a separate call into native code.
  let text = '';
  for (const message of messages) {
    text += `${message.role}\u0000${message.content.trim()}\u0000`;
    for (const attachment of message.attachments ?? []) text += `${attachment.url}\u0001`;
    text += '\u0002';
  }
  return hash('sha256', text, 'hex');
}
