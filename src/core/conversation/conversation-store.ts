import type { ArenaMode } from '../../arena/types.js';
import type { StoredConversation } from '../../storage/index.js';
import type { ChatMessage } from '../chat/chat-types.js';
import { conversationKey } from './conversation-key.js';

/**
 * What the bridge remembers about an arena conversation after an answer completed: the arena
 * session holding the history, its last message ids, the model and mode, and the `page.identity`
 * of the worker that owns it. The persisted store (src/storage) defines the shape.
 */
export type ConversationRecord = StoredConversation<ArenaMode>;

/**
 * Where conversations live. Keys are {@link conversationKey} hashes of the history an answer
 * completed. Synchronous, so a node:sqlite implementation fits without changing callers.
 */
export interface ConversationStore {
  get(key: string): ConversationRecord | undefined;
  put(key: string, record: ConversationRecord): void;
  /** The newest record of a conversation id, if any. */
  findByConversationId(conversationId: string): ConversationRecord | undefined;
  /** The newest record of an evaluation session, if any. */
  findByEvaluationSessionId(evaluationSessionId: string): ConversationRecord | undefined;
}

/** Options for {@link createMemoryConversationStore}. */
export interface MemoryConversationStoreOptions {
  /** Oldest entries are dropped past this many. @default 1000 */
  maxEntries?: number;
}

/** An in-memory {@link ConversationStore} bounded by `maxEntries` (least recently written dropped first). */
export function createMemoryConversationStore(options: MemoryConversationStoreOptions = {}): ConversationStore {
  const maxEntries = options.maxEntries ?? 1000;
  const byKey = new Map<string, ConversationRecord>();

  function newest(predicate: (record: ConversationRecord) => boolean): ConversationRecord | undefined {
    let found: ConversationRecord | undefined;
    for (const record of byKey.values()) if (predicate(record)) found = record;
    return found;
  }

  return {
    get: (key) => byKey.get(key),
    put(key, record) {
      byKey.delete(key);
      byKey.set(key, record);
      while (byKey.size > maxEntries) {
        const oldest = byKey.keys().next().value;
        if (oldest === undefined) break;
        byKey.delete(oldest);
      }
    },
    findByConversationId: (conversationId) => newest((record) => record.conversationId === conversationId),
    findByEvaluationSessionId: (sessionId) => newest((record) => record.evaluationSessionId === sessionId),
  };
}

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
