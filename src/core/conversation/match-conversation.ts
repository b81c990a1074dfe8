import type { ChatRequest } from '../chat/chat-types.js';
import { conversationKey } from './conversation-key.js';
import type { ConversationRecord, ConversationStore } from './conversation-store.js';

/**
 * How a request relates to what the bridge stored:
 * - `continue`: its history is a stored answer plus a new user turn (post-to-evaluation);
 * - `regenerate`: its history is exactly one that produced a stored answer, i.e. the client
 *   dropped the last assistant turn to get another answer (the arena's retry endpoint);
 * - `new`: unknown or edited history (a new evaluation, keeping `conversationId` when the client
 *   named a known conversation).
 */
export type ConversationMatch =
  | { kind: 'continue'; record: ConversationRecord }
  | { kind: 'regenerate'; record: ConversationRecord }
  | { kind: 'new'; conversationId?: string; warning?: string };

/** What {@link matchConversation} needs. */
export interface MatchInput {
  request: ChatRequest;
  conversations: ConversationStore;
  /** The arena model id of the requested model, for a session the client names by id only. */
  modelId: string | null;
  mode: ConversationRecord['mode'];
}

/**
 * Decides continue / regenerate / new for one request. Vendor ids (`conversation_id`,
 * `conversation.evaluationSessionId`) pin the conversation; the history hash finds the exact
 * state. A resent single first message without a vendor id is a new evaluation, not a
 * regeneration: stateless clients repeat one-shot prompts and expect independent answers.
 */
export function matchConversation(input: MatchInput): ConversationMatch {
  const { request, conversations } = input;
  const messages = request.messages;
  if (messages.at(-1)?.role !== 'user') return { kind: 'new' };
  const pinned = pinnedRecord(input);
  if (request.conversationId !== undefined && pinned === undefined) {
    return { kind: 'new', warning: `conversation_id "${request.conversationId}" is not known; a new conversation was started.` };
  }
  const fits = (record: ConversationRecord | undefined): record is ConversationRecord =>
    record !== undefined && record.model === request.model && (pinned === undefined || pinned.conversationId === record.conversationId);

  const answered = conversations.get(conversationKey(messages));
  const hasEarlierAnswer = messages.some((message) => message.role === 'assistant');
  if (fits(answered) && answered.lastAssistantMessageId !== '' && (pinned !== undefined || hasEarlierAnswer)) {
    return { kind: 'regenerate', record: answered };
  }
  const prefix = messages.slice(0, -1);
  const previous = prefix.length > 0 ? conversations.get(conversationKey(prefix)) : undefined;
  if (fits(previous)) return { kind: 'continue', record: previous };

  if (pinned === undefined) return { kind: 'new' };
  // lmarena-client style: the client sends only the new turn and names the session; a session
  // the bridge never stored holds its own history upstream, so it is continued as named too.
  const onlyNewTurn = messages.filter((message) => message.role !== 'system').length === 1;
  if (onlyNewTurn || pinned.lastAssistantMessageId === '') return { kind: 'continue', record: pinned };
  return {
    kind: 'new',
    conversationId: pinned.conversationId,
    warning: 'The messages differ from the stored conversation (edited history); the history was carried into a new evaluation.',
  };
}

/** The record the vendor ids name: the newest of the conversation, or of the session. */
function pinnedRecord(input: MatchInput): ConversationRecord | undefined {
  const { request, conversations } = input;
  if (request.conversationId !== undefined) return conversations.findByConversationId(request.conversationId);
  if (request.evaluationSessionId === undefined) return undefined;
  return (
    conversations.findByEvaluationSessionId(request.evaluationSessionId) ?? {
      // A session the bridge never stored (created elsewhere): continue it; nothing to retry.
      conversationId: request.evaluationSessionId,
      evaluationSessionId: request.evaluationSessionId,
      lastUserMessageId: '',
      lastAssistantMessageId: '',
      model: request.model,
      modelId: input.modelId,
      mode: input.mode,
      workerIdentity: null,
      updatedAt: 0,
    }
  );
}
