import { buildCreateEvaluation, buildGenARetry, buildPostToEvaluation, buildRetry, type ArenaAttachment } from '../../arena/index.js';
import { PROMPT_CHARACTER_LIMIT } from '../../arena/constants.js';
import type { ArenaMode, Side } from '../../arena/types.js';
import type { JobRequest } from '../../shared/worker-protocol.js';
import type { WorkerConnection } from '../../workers/types.js';
import { buildTranscript } from './transcript.js';
import type { ChatServiceOptions } from '../chat/chat-service-options.js';
import type { ChatMessage, ChatRequest } from '../chat/chat-types.js';
import type { ConversationRecord, ConversationStore } from './conversation-store.js';
import { InvalidRequestError } from '../errors/index.js';
import type { GenAIdPicker, GenAIds } from '../captured-ids/gen-a-id-picker.js';
import { matchConversation } from './match-conversation.js';
import { OVERFLOW_FILE_NAME, overflowPrompt, promptTooLong, type UploadText } from './overflow-file.js';
import type { ResolvedModel } from '../models/model-directory.js';
import { toArenaTurns } from './arena-turns.js';
import type { DirectModeMemory } from './direct-mode.js';
import type { WorkerPool } from '../pool/pool-types.js';


/** The ids of one built request. */
export interface BuiltIds {
  sessionId: string;
  userMessageId: string;
  modelAMessageId: string;
  modelBMessageId?: string;
}

/** How one chat request is sent; `build` makes a fresh request (fresh ids) for every attempt. */
export interface RequestPlan {
  operation: 'create' | 'post' | 'retry' | 'gen-a';
  mode: ArenaMode;
  /** The side whose answer is streamed. */
  side: Side;
  build(recaptchaVersion: 'v3' | 'v2'): { request: JobRequest; ids: BuiltIds };
  /** Restricts workers (session affinity for a continuation). */
  filter?: (worker: WorkerConnection) => boolean;
  /** Taken when a continuation is refused before output (the session belongs to someone else). */
  fallback?: () => RequestPlan;
  /** `new`, `continued` or `replayed` (history carried into a new evaluation). */
  conversationState: 'new' | 'continued' | 'replayed' | 'regenerated' | 'none';
  conversationId: string | undefined;
  warnings: string[];
  /** The captured ids a Gen A plan replays (so an unhealthy entry can be rested). */
  genAIds?: GenAIds;
  /** Work before the first attempt (uploading an overflowing history); `build` needs it done. */
  prepare?: (signal: AbortSignal) => Promise<void>;
  /**
   * A new single-model evaluation whose `mode` the site refused (§15.1): the same plan with the
   * other spelling, which is remembered for later requests.
   */
  switchMode?: () => RequestPlan;
}

/** What {@link planConversationTurn} needs. */
export interface PlanInput {
  /** The request as the client sent it: its history finds the conversation. */
  request: ChatRequest;
  /**
   * The messages as they are sent: the client's, with attachments replaced by their upload URLs.
   * @default request.messages
   */
  sentMessages?: readonly ChatMessage[];
  model: ResolvedModel;
  modelB: ResolvedModel | undefined;
  options: ChatServiceOptions;
  conversations: ConversationStore;
  genAIds: GenAIdPicker;
  workers: Pick<WorkerPool, 'snapshot'>;
  newConversationId: () => string;
  /** Uploads an overflowing history as a text file; without it such prompts fail with 400. */
  uploadText?: UploadText;
  /** The single-model mode learned from the site. @default options.directModeValue, never switched */
  directMode?: DirectModeMemory;
}

function requireId(model: ResolvedModel, param: string): string {
  if (model.id) return model.id;
  throw new InvalidRequestError(
    `Model "${model.name}" has no arena model id (models.json gives none and the live list does not have it). Give it an id in models.json, or wait until a worker has fetched the model list.`,
    { param },
  );
}

function checkLength(prompt: string, limit: number, reason = 'Shorten the messages or start a new conversation.'): void {
  if (prompt.length <= limit) return;
  throw promptTooLong(prompt.length, reason, limit);
}

/**
 * Plans one turn of a conversation: a new evaluation (carrying any history), a continuation of
 * the stored arena session (post-to-evaluation), a regeneration (retry), or a Gen A replay.
 */
export function planConversationTurn(input: PlanInput): RequestPlan {
  const { request, model, options } = input;
  const messages = input.sentMessages ?? request.messages;
  if (!messages.some((message) => message.role === 'user')) {
    throw new InvalidRequestError('The messages contain no user message; add one with the question for the model.', { param: 'messages' });
  }
  const textModel = model.modality === 'chat' || model.modality === 'search';
  const warnings: string[] = [];

  if (options.protocol === 'retry-replay') {
    if (request.modelB) warnings.push('model_b is ignored with the retry-replay protocol.');
    const ids = input.genAIds.pick(request.model);
    const turns = toArenaTurns(messages, { tavernMode: options.tavernMode, bypassMode: options.bypassMode, imageBypass: true, textModel });
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
      genAIds: ids,
    };
  }

  if (options.bypassMode) warnings.push('bypass_enabled only applies to the retry-replay protocol; it was ignored.');
  const mode: ArenaMode = input.modelB ? 'side-by-side' : (input.directMode?.current() ?? options.directModeValue);
  const modelAId = requireId(model, 'model');
  const modelBId = input.modelB ? requireId(input.modelB, 'model_b') : undefined;
  const fresh = (extra: string[], conversationId?: string): RequestPlan => {
    const plan = planNew(input, mode, modelAId, modelBId, [...warnings, ...extra]);
    return conversationId === undefined ? plan : { ...plan, conversationId };
  };

  const match = matchConversation({ request, conversations: input.conversations, modelId: model.id, mode });
  if (match.kind === 'new') return fresh(match.warning === undefined ? [] : [match.warning], match.conversationId);
  const record = match.record;
  const identity = record.workerIdentity;
  const connected = input.workers.snapshot().workers;
  const owners = connected.filter((worker) => worker.page.identity === identity);
  if (identity !== null && owners.length === 0) {
    return fresh(['The worker that owns this conversation is not connected; the history was replayed into a new evaluation.'], record.conversationId);
  }
  // The site flags per account (§15.4): while the owner is held, another account carries the chat on.
  const isHeld = (worker: { held?: string | null }): boolean => worker.held === 'account-held';
  if (identity !== null && owners.every(isHeld) && connected.some((worker) => worker.page.identity !== identity && !isHeld(worker))) {
    return fresh(['The account that owns this conversation is held by the arena\'s security verification; the history was replayed into a new evaluation on another account.'], record.conversationId);
  }
  if (match.kind === 'regenerate') return planRegenerate(record, fresh, warnings);
  const last = messages.at(-1);
  const turn = toArenaTurns(last ? [last] : [], { tavernMode: false, bypassMode: false, imageBypass: false, textModel })[0];
  const prompt = turn?.content ?? ' ';
  checkLength(prompt, options.promptCharacterLimit ?? PROMPT_CHARACTER_LIMIT);
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
  const { model, options } = input;
  const messages = input.sentMessages ?? input.request.messages;
  const textModel = model.modality === 'chat' || model.modality === 'search';
  const turns = toArenaTurns(messages, { tavernMode: options.tavernMode, bypassMode: false, imageBypass: false, textModel });
  const built = buildTranscript(turns, { historyMode: options.historyMode });
  const carried = messages.filter((message) => message.role !== 'system').length > 1;
  const planWarnings = [...warnings];
  let prompt = built.prompt;
  let history = built.history;
  let prepare: RequestPlan['prepare'];
  const uploaded: ArenaAttachment[] = [];
  const limit = options.promptCharacterLimit ?? PROMPT_CHARACTER_LIMIT;
  if (prompt.length > limit) {
    const upload = input.uploadText;
    if (upload === undefined || model.capabilities?.inputFile !== true) {
      throw promptTooLong(
        prompt.length,
        upload === undefined
          ? 'This bridge cannot upload the overflow as a file here; shorten the messages or start a new conversation.'
          : `Model "${model.name}" does not accept files, so the overflow cannot travel as an attachment; shorten the messages, start a new conversation, or pick a model that accepts files.`,
        limit,
      );
    }
    const overflow = overflowPrompt(turns, limit);
    prompt = overflow.prompt;
    history = [];
    prepare = async (signal) => {
      uploaded.length = 0;
      uploaded.push(await upload(OVERFLOW_FILE_NAME, overflow.fileText, signal));
    };
    planWarnings.push(`The conversation is over the arena's size limit; its earlier turns were sent as the attached file ${OVERFLOW_FILE_NAME}.`);
  }
  if (built.droppedAttachments > 0) {
    planWarnings.push(`${built.droppedAttachments} attachment(s) of earlier turns were not carried into the new evaluation; only the last user message's attachments are sent.`);
  }
  const conversationId = input.newConversationId();
  const single = mode === 'direct' || mode === 'direct-battle';
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
        prompt,
        attachments: [...uploaded, ...built.attachments],
        variant: history.length > 0 ? 'messages' : 'userMessage',
        history: history.length > 0 ? history : undefined,
        recaptcha: { action: 'chat_submit', version },
      }),
    conversationState: carried ? 'replayed' : 'new',
    conversationId,
    warnings: planWarnings,
    prepare,
    ...(single && input.directMode !== undefined
      ? {
          switchMode: () => {
            const next = input.directMode?.refused(mode) ?? mode;
            return { ...planNew(input, next, modelAId, modelBId, warnings), conversationId };
          },
        }
      : {}),
  };
}

/**
 * Regenerates the stored answer in place with the arena's retry endpoint (§5.3, token action
 * `chat_retry`) on a worker of the identity that owns the session; a refusal replays the history
 * into a new evaluation instead.
 */
function planRegenerate(record: ConversationRecord, fresh: (extra: string[], conversationId?: string) => RequestPlan, warnings: string[]): RequestPlan {
  const identity = record.workerIdentity;
  return {
    operation: 'retry',
    mode: record.mode,
    side: 'a',
    build: (version) => {
      const built = buildRetry({
        sessionId: record.evaluationSessionId,
        messageId: record.lastAssistantMessageId,
        recaptcha: { action: 'chat_retry', version },
      });
      return { request: built.request, ids: { ...built.ids, userMessageId: record.lastUserMessageId } };
    },
    filter: identity === null ? undefined : (worker) => worker.page.identity === identity,
    fallback: () => fresh(['The arena refused to regenerate in the stored session; the history was replayed into a new evaluation.'], record.conversationId),
    conversationState: 'regenerated',
    conversationId: record.conversationId,
    warnings: [...warnings],
  };
}
