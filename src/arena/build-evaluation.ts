import { ArenaInputError } from './arena-input-error.js';
import { PATHS } from './constants.js';
import {
  DEFAULT_SUBMIT_RECAPTCHA,
  STREAM_HEADERS,
  assertModeModels,
  assertUuid,
  isTwoSided,
  recaptchaJob,
  resolveEvaluationIds,
} from './evaluation-ids.js';
import type {
  ArenaTurn,
  BuiltArenaRequest,
  CreateEvaluationInput,
  EvaluationIds,
  PostToEvaluationInput,
} from './request-types.js';
import { uuidv7 } from './uuidv7.js';

/**
 * A `POST /nextjs-api/stream/create-evaluation` request (§5.1) with fresh UUIDv7 ids. The body
 * carries no token: the page agent adds the field `request.recaptcha.field` names.
 *
 * @example
 * const { request, ids } = buildCreateEvaluation({ mode: 'direct-battle', modelAId, modality: 'chat', prompt: 'Hi' });
 */
export function buildCreateEvaluation(input: CreateEvaluationInput): BuiltArenaRequest {
  return buildEvaluation(input, PATHS.createEvaluation, undefined);
}

/**
 * A `POST /nextjs-api/stream/post-to-evaluation/{sessionId}` request (§5.2): a follow-up turn in an
 * existing session, with fresh message ids. The body is create-evaluation's without `mode`: the
 * session already has one, and today's site refuses some values on a follow-up (§15.1).
 */
export function buildPostToEvaluation(input: PostToEvaluationInput): BuiltArenaRequest {
  assertUuid('sessionId', input.sessionId);
  return buildEvaluation(input, PATHS.postToEvaluation(input.sessionId), input.sessionId);
}

function buildEvaluation(
  input: CreateEvaluationInput,
  url: string,
  sessionId: string | undefined,
): BuiltArenaRequest {
  assertModeModels(input.mode, input.modelAId, input.modelBId);
  if (typeof input.prompt !== 'string') throw new ArenaInputError('prompt', 'prompt must be a string.');
  const variant = input.variant ?? 'userMessage';
  if (variant !== 'messages' && input.history !== undefined && input.history.length > 0) {
    throw new ArenaInputError('history', 'history is only sent with variant "messages"; the userMessage body lets the server own the history.');
  }
  const now = input.now ?? Date.now;
  const twoSided = isTwoSided(input.mode);
  const given = sessionId === undefined ? input.ids : { ...input.ids, sessionId };
  const ids = resolveEvaluationIds(given, twoSided || input.alwaysSendModelBMessageId === true, now);

  const body: Record<string, unknown> = sessionId === undefined ? { id: ids.sessionId, mode: input.mode } : { id: ids.sessionId };
  if (input.modelAId !== undefined) body.modelAId = input.modelAId;
  if (input.modelBId !== undefined) body.modelBId = input.modelBId;
  body.userMessageId = ids.userMessageId;
  body.modelAMessageId = ids.modelAMessageId;
  if (ids.modelBMessageId !== undefined) body.modelBMessageId = ids.modelBMessageId;
  if (variant === 'messages') {
    body.messages = buildMessages(input, ids, twoSided, now);
  } else {
    body.userMessage = { content: input.prompt, experimental_attachments: input.attachments ?? [], metadata: {} };
  }
  body.modality = input.modality;

  return {
    request: {
      method: 'POST',
      url,
      headers: { ...STREAM_HEADERS },
      body: { kind: 'json', value: body },
      recaptcha: recaptchaJob(input.recaptcha ?? DEFAULT_SUBMIT_RECAPTCHA),
    },
    ids,
  };
}

/**
 * The variant B-messages array: earlier turns (all `success`, linear parent chain), the new user
 * message, then one empty pending assistant message per side, each parented on the user message.
 */
function buildMessages(input: CreateEvaluationInput, ids: EvaluationIds, twoSided: boolean, now: () => number): unknown[] {
  const messages: Record<string, unknown>[] = [];
  let parentId: string | undefined;
  for (const turn of input.history ?? []) {
    const id = uuidv7({ now: now() });
    messages.push(historyMessage(turn, id, parentId, ids.sessionId));
    parentId = id;
  }
  messages.push({
    id: ids.userMessageId,
    role: 'user',
    content: input.prompt,
    experimental_attachments: input.attachments ?? [],
    parentMessageIds: parentId === undefined ? [] : [parentId],
    participantPosition: 'a',
    modelId: null,
    evaluationSessionId: ids.sessionId,
    status: 'pending',
    failureReason: null,
  });
  messages.push(pendingAssistant(ids.modelAMessageId, 'a', input.modelAId ?? null, ids));
  if (twoSided && ids.modelBMessageId !== undefined) {
    messages.push(pendingAssistant(ids.modelBMessageId, 'b', input.modelBId ?? null, ids));
  }
  return messages;
}

function historyMessage(turn: ArenaTurn, id: string, parentId: string | undefined, sessionId: string): Record<string, unknown> {
  const message: Record<string, unknown> = {
    id,
    role: turn.role,
    content: turn.content,
    experimental_attachments: turn.attachments ?? [],
    parentMessageIds: parentId === undefined ? [] : [parentId],
    participantPosition: 'a',
    modelId: turn.role === 'assistant' ? (turn.modelId ?? null) : null,
    evaluationSessionId: sessionId,
    status: 'success',
    failureReason: null,
  };
  if (turn.role === 'assistant') message.reasoning = '';
  return message;
}

function pendingAssistant(id: string, side: 'a' | 'b', modelId: string | null, ids: EvaluationIds): Record<string, unknown> {
  return {
    id,
    role: 'assistant',
    content: '',
    experimental_attachments: [],
    parentMessageIds: [ids.userMessageId],
    participantPosition: side,
    modelId,
    evaluationSessionId: ids.sessionId,
    status: 'pending',
    failureReason: null,
    reasoning: '',
  };
}
