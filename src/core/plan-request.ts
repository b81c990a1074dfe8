import { buildCreateEvaluation, buildGenARetry, buildPostToEvaluation } from '../arena/index.js';
import { PROMPT_CHARACTER_LIMIT } from '../arena/constants.js';
import type { ArenaHttpRequest, ArenaMode, Side } from '../arena/types.js';
import type { WorkerConnection } from '../workers/types.js';
import { buildPrompt } from './build-prompt.js';
import type { ChatServiceOptions } from './chat-service-options.js';
import type { ChatRequest } from './chat-types.js';
import { conversationKey } from './conversation-key.js';
import type { ConversationRecord, ConversationStore } from './conversation-store.js';
import { InvalidRequestError } from './errors/index.js';
import type { GenAIdPicker } from './gen-a-id-picker.js';
import type { ResolvedModel } from './model-directory.js';
import { prepareMessages } from './prepare-messages.js';
import type { WorkerSource } from './worker-source.js';

/** The ids of one built request. */
export interface BuiltIds {
  sessionId: string;
  userMessageId: string;
  modelAMessageId: string;
  modelBMessageId?: string;
}

/** How one chat request is sent; `build` makes a fresh request (fresh ids) for every attempt. */
export interface RequestPlan {
  operation: 'create' | 'post' | 'gen-a';
  mode: ArenaMode;
  /** The side whose answer is streamed. */
  side: Side;
  build(recaptchaVersion: 'v3' | 'v2'): { request: ArenaHttpRequest; ids: BuiltIds };
  /** Restricts workers (session affinity for a continuation). */
  filter?: (worker: WorkerConnection) => boolean;
  /** Taken when a continuation is refused before output (the session belongs to someone else). */
  fallback?: () => RequestPlan;
  /** `new`, `continued` or `replayed` (history carried into a new evaluation). */
  conversationState: 'new' | 'continued' | 'replayed' | 'none';
  conversationId: string | undefined;
  warnings: string[];
}

/** What {@link planRequest} needs. */
export interface PlanInput {
  request: ChatRequest;
  model: ResolvedModel;
  modelB: ResolvedModel | undefined;
  options: ChatServiceOptions;
  conversations: ConversationStore;
  genAIds: GenAIdPicker;
  workers: Pick<WorkerSource, 'snapshot'>;
  newConversationId: () => string;
}

function requireId(model: ResolvedModel, param: string): string {
  if (model.id) return model.id;
  throw new InvalidRequestError(
    `Model "${model.name}" has no arena model id (models.json gives none and the live list does not have it). Give it an id in models.json, or wait until a worker has fetched the model list.`,
    { param },
  );
}

function checkLength(prompt: string): void {
  if (prompt.length <= PROMPT_CHARACTER_LIMIT) return;
  throw new InvalidRequestError(
    `The prompt is ${prompt.length} characters after the conversation was flattened; LMArena accepts about ${PROMPT_CHARACTER_LIMIT}. Shorten the messages or start a new conversation.`,
    { code: 'prompt_too_long', param: 'messages' },
  );
}

/** Finds the stored conversation a request continues, if any (vendor ids first, then the history hash). */
function findConversation(input: PlanInput): ConversationRecord | undefined {
  const { request, conversations } = input;
  if (request.conversationId) return conversations.findByConversationId(request.conversationId);
  if (request.evaluationSessionId) {
    return conversations.findByEvaluationSessionId(request.evaluationSessionId) ?? {
      conversationId: input.newConversationId(),
      evaluationSessionId: request.evaluationSessionId,
      lastUserMessageId: '',
      lastAssistantMessageId: '',
      model: request.model,
      modelId: input.model.id,
      mode: input.options.directModeValue,
      workerIdentity: null,
      updatedAt: 0,
    };
  }
  const prefix = request.messages.slice(0, -1);
  if (prefix.length === 0 || request.messages.at(-1)?.role !== 'user') return undefined;
  const record = conversations.get(conversationKey(prefix));
  return record && record.model === request.model ? record : undefined;
}

/** Chooses create / post-to-evaluation / Gen A replay for one request. */
export function planRequest(input: PlanInput): RequestPlan {
  const { request, model, options } = input;
  if (!request.messages.some((message) => message.role === 'user')) {
    throw new InvalidRequestError('The messages contain no user message; add one with the question for the model.', { param: 'messages' });
  }
  const textModel = model.modality === 'chat' || model.modality === 'search';
  const warnings: string[] = [];

  if (options.protocol === 'retry-replay') {
    if (request.modelB) warnings.push('model_b is ignored with the retry-replay protocol.');
    const ids = input.genAIds.pick(request.model);
    const turns = prepareMessages(request.messages, { tavernMode: options.tavernMode, bypassMode: options.bypassMode, imageBypass: true, textModel });
    return {
      operation: 'gen-a',
      mode: ids.mode === 'battle' ? 'battle' : 'direct',
      side: ids.mode === 'battle' && ids.battleTarget === 'B' ? 'b' : 'a',
      build: () => {
        const built = buildGenARetry({
          sessionId: ids.sessionId,
          messageId: ids.messageId,
          turns,
          modelId: model.id,
          mode: ids.mode,
          battleTarget: ids.battleTarget,
          imageRequest: model.modality === 'image',
        });
        return { request: built.request, ids: built.ids };
      },
      conversationState: 'none',
      conversationId: undefined,
      warnings,
    };
  }

  if (options.bypassMode) warnings.push('bypass_enabled only applies to the retry-replay protocol; it was ignored.');
  const mode: ArenaMode = input.modelB ? 'side-by-side' : options.directModeValue;
  const modelAId = requireId(model, 'model');
  const modelBId = input.modelB ? requireId(input.modelB, 'model_b') : undefined;
  const fresh = (extra: string[], conversationId?: string): RequestPlan => {
    const plan = planNew(input, mode, modelAId, modelBId, [...warnings, ...extra]);
    return conversationId === undefined ? plan : { ...plan, conversationId };
  };

  const record = findConversation(input);
  if (!record) {
    const extra = request.conversationId ? [`conversation_id "${request.conversationId}" is not known; a new conversation was started.`] : [];
    return fresh(extra);
  }
  const identity = record.workerIdentity;
  if (identity !== null && !input.workers.snapshot().workers.some((worker) => worker.page.identity === identity)) {
    return fresh(['The worker that owns this conversation is not connected; the history was replayed into a new evaluation.'], record.conversationId);
  }
  const last = request.messages.at(-1);
  const turn = prepareMessages(last ? [last] : [], { tavernMode: false, bypassMode: false, imageBypass: false, textModel })[0];
  const prompt = turn?.content ?? ' ';
  checkLength(prompt);
  return {
    operation: 'post',
    mode,
    side: 'a',
    build: (version) =>
      buildPostToEvaluation({
        sessionId: record.evaluationSessionId,
        mode,
        modelAId,
        modelBId,
        modality: model.modality,
        prompt,
        attachments: turn?.attachments ?? [],
        recaptcha: { action: 'chat_submit', version },
      }),
    filter: identity === null ? undefined : (worker) => worker.page.identity === identity,
    fallback: () => fresh(['The arena refused to continue the stored session; the history was replayed into a new evaluation.'], record.conversationId),
    conversationState: 'continued',
    conversationId: record.conversationId,
    warnings,
  };
}

function planNew(input: PlanInput, mode: ArenaMode, modelAId: string, modelBId: string | undefined, warnings: string[]): RequestPlan {
  const { request, model, options } = input;
  const textModel = model.modality === 'chat' || model.modality === 'search';
  const turns = prepareMessages(request.messages, { tavernMode: options.tavernMode, bypassMode: false, imageBypass: false, textModel });
  const built = buildPrompt(turns, { historyMode: options.historyMode });
  checkLength(built.prompt);
  const carried = request.messages.filter((message) => message.role !== 'system').length > 1;
  const planWarnings = [...warnings];
  if (built.droppedAttachments > 0) {
    planWarnings.push(`${built.droppedAttachments} attachment(s) of earlier turns were not carried into the new evaluation; only the last user message's attachments are sent.`);
  }
  return {
    operation: 'create',
    mode,
    side: 'a',
    build: (version) =>
      buildCreateEvaluation({
        mode,
        modelAId,
        modelBId,
        modality: model.modality,
        prompt: built.prompt,
        attachments: built.attachments,
        variant: built.history.length > 0 ? 'messages' : 'userMessage',
        history: built.history.length > 0 ? built.history : undefined,
        recaptcha: { action: 'chat_submit', version },
      }),
    conversationState: carried ? 'replayed' : 'new',
    conversationId: input.newConversationId(),
    warnings: planWarnings,
  };
}
