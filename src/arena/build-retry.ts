import type { JobRequest } from '../shared/worker-protocol.js';
import { LEGACY_STREAM_PREFIX, PATHS, STREAM_PREFIX } from './constants.js';
import { ArenaInputError } from './arena-input-error.js';
import { STREAM_HEADERS, assertUuid, recaptchaJob } from './evaluation-ids.js';
import type { ArenaTurn, BuiltArenaRequest, EvaluationIds, GenARetryInput, RetryIds, RetryInput } from './request-types.js';
import { uuidv7 } from './uuidv7.js';

/**
 * A Gen B/C regenerate request (§5.3): `PUT …/retry-evaluation-session-message/{sid}/messages/{mid}`
 * with body `{}`; the agent adds the token (action `chat_retry`, as the 2026 site does).
 * The message is regenerated in place, so `ids.modelAMessageId` is `messageId`.
 */
export function buildRetry(input: RetryInput): BuiltArenaRequest<RetryIds> {
  assertUuid('sessionId', input.sessionId);
  assertUuid('messageId', input.messageId);
  return {
    request: {
      method: 'PUT',
      url: PATHS.retryMessage(input.sessionId, input.messageId),
      headers: { ...STREAM_HEADERS },
      body: { kind: 'json', value: {} },
      recaptcha: recaptchaJob(input.recaptcha ?? { action: 'chat_retry', version: 'v3' }),
    },
    ids: { sessionId: input.sessionId, modelAMessageId: input.messageId },
  };
}

/**
 * A Gen A replay (§4): the captured session/message pair regenerated with the whole conversation
 * supplied as `messages` (fresh ids, linear parent chain, last message `pending` unless
 * `imageRequest`). `ids.userMessageId` is the id given to the last replayed message and
 * `ids.modelAMessageId` the captured `messageId`; neither is persisted upstream.
 */
export function buildGenARetry(input: GenARetryInput): BuiltArenaRequest {
  assertUuid('sessionId', input.sessionId);
  assertUuid('messageId', input.messageId);
  if (input.turns.length === 0) throw new ArenaInputError('turns', 'A Gen A replay needs at least one message.');
  if (input.mode !== 'direct_chat' && input.mode !== 'battle') {
    throw new ArenaInputError('mode', `Gen A mode must be "direct_chat" or "battle", got "${String(input.mode)}".`);
  }
  const now = input.now ?? Date.now;
  const target = (input.battleTarget ?? 'A') === 'B' ? 'b' : 'a';
  const position = (turn: ArenaTurn): 'a' | 'b' => {
    if (input.mode === 'battle') return target;
    return turn.role === 'system' ? 'b' : 'a';
  };

  const messages: Record<string, unknown>[] = [];
  let parentId: string | undefined;
  const lastIndex = input.turns.length - 1;
  input.turns.forEach((turn, index) => {
    const id = uuidv7({ now: now() });
    const timestamp = new Date(now()).toISOString();
    messages.push({
      role: turn.role,
      content: turn.role === 'user' && turn.content === '' ? ' ' : turn.content,
      id,
      evaluationId: null,
      evaluationSessionId: input.sessionId,
      parentMessageIds: parentId === undefined ? [] : [parentId],
      experimental_attachments: turn.attachments ?? [],
      failureReason: null,
      metadata: null,
      participantPosition: position(turn),
      createdAt: timestamp,
      updatedAt: timestamp,
      status: index === lastIndex && input.imageRequest !== true ? 'pending' : 'success',
    });
    parentId = id;
  });

  const prefix = input.legacyPrefix === true ? LEGACY_STREAM_PREFIX : STREAM_PREFIX;
  const ids: EvaluationIds = {
    sessionId: input.sessionId,
    userMessageId: parentId ?? input.messageId,
    modelAMessageId: input.messageId,
  };
  const request: JobRequest = {
    method: 'PUT',
    url: PATHS.retryMessage(input.sessionId, input.messageId, prefix),
    headers: { ...STREAM_HEADERS },
    body: { kind: 'json', value: { messages, modelId: input.modelId } },
  };
  if (input.recaptcha !== undefined) request.recaptcha = recaptchaJob(input.recaptcha);
  return { request, ids };
}
