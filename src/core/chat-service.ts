import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import { createAnswerEvents } from './answer-events.js';
import type { AttachmentPreparer } from './attachments/prepare-attachments.js';
import type { AnswerBatchRewriter } from './attachments/save-generated-images.js';
import type { ChatServiceOptions } from './chat-service-options.js';
import type { ChatAnswer, ChatRequest, ChatService } from './chat-types.js';
import type { ConversationStore } from './conversation-store.js';
import type { DirectModeMemory } from './direct-mode.js';
import { ClientAbortError } from './errors/index.js';
import { createGenAIdPicker, type GenAIdPicker } from './gen-a-id-picker.js';
import type { ArenaModelDirectory } from './model-directory.js';
import type { UploadText } from './overflow-prompt.js';
import { planRequest } from './plan-request.js';
import { rememberAnswer } from './remember-answer.js';
import { requireImageOutput } from './require-image-output.js';
import { createRestingIdPicker } from './resting-id-picker.js';
import { startExchange } from './start-exchange.js';
import type { WorkerSource } from './worker-source.js';

/** What {@link createChatService} needs. */
export interface ChatServiceDependencies {
  workers: WorkerSource;
  /** Resolves model names; `list` names the image models when an image generation picks another kind. */
  models: Pick<ArenaModelDirectory, 'resolve' | 'list'>;
  conversations: ConversationStore;
  options: ChatServiceOptions;
  logger: Logger;
  /** Gen A id selection. @default createGenAIdPicker(options) */
  genAIds?: GenAIdPicker;
  /** Uploads an over-long history as a text file (the arena's upload flow); without it such prompts get a 400. */
  uploadText?: UploadText;
  /** Checks attachments against the model and uploads them before planning; without it they are sent as given. */
  attachments?: AttachmentPreparer;
  /** Rewrites answer batches before the client and the conversation map see them (local copies of generated images). */
  rewriteAnswer?: AnswerBatchRewriter;
  /** The single-model mode value learned from the site; without it `options.directModeValue` is used as is. */
  directMode?: DirectModeMemory;
  now?: () => number;
}

/**
 * The chat service: resolves the model, plans the upstream operation (new evaluation, continuation
 * of a stored one, or Gen A replay), runs it on a worker with retries before the first output, and
 * hands back a pull-based answer. With `modelB` the evaluation is side-by-side against that model
 * and side A is streamed; side B is not returned.
 */
export function createChatService(dependencies: ChatServiceDependencies): ChatService {
  const { workers, models, conversations, options, logger } = dependencies;
  const now = dependencies.now ?? Date.now;
  const genAIds = createRestingIdPicker(dependencies.genAIds ?? createGenAIdPicker(options), {
    restMs: options.unhealthySessionRestMs,
    now,
    logger,
  });
  const { uploadText } = dependencies;

  return {
    async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatAnswer> {
      if (signal.aborted) throw new ClientAbortError('The client cancelled the request.');
      const log = logger.child({ requestId: request.requestId, model: request.model });
      // With no worker connected nothing can answer and the live model list was never fetched, so
      // the pool's "connect a worker" error is the useful one, not "model unknown".
      if (workers.size === 0) (await workers.acquire({ signal, streamRequest: false })).release();
      const model = await models.resolve(request.model, signal);
      if (request.requiredOutput === 'image') requireImageOutput(model, models.list());
      const modelB = request.modelB ? await models.resolve(request.modelB, signal) : undefined;
      // Only the sent copy carries upload URLs; conversations are remembered by what the client sent.
      const prepared = dependencies.attachments ? await dependencies.attachments.prepare(request, model, signal) : { request, warnings: [] };
      const started = await startExchange({
        plan: () => planRequest({ request: prepared.request, matchRequest: request, model, modelB, options, conversations, genAIds, workers, newConversationId: randomUUID, uploadText, ...(dependencies.directMode ? { directMode: dependencies.directMode } : {}) }),
        model: request.model,
        genAIds,
        workers,
        options,
        signal,
        logger: log,
      });
      const used = started.plan;
      const worker = started.lease.worker;
      log.debug('Answer started', { operation: used.operation, worker: worker.id, attempts: started.attempts });

      const conversationId = used.conversationId;
      const events = createAnswerEvents({
        started,
        workers,
        signal,
        idleTimeoutMs: options.idleTimeoutMs,
        ...(dependencies.rewriteAnswer ? { rewrite: dependencies.rewriteAnswer } : {}),
        logger: log,
        onComplete(text) {
          if (conversationId === undefined) return;
          rememberAnswer(conversations, request.messages, text, {
            conversationId,
            evaluationSessionId: started.ids.sessionId,
            lastUserMessageId: started.ids.userMessageId,
            lastAssistantMessageId: started.ids.modelAMessageId,
            model: request.model,
            modelId: model.id,
            mode: used.mode,
            workerIdentity: worker.page.identity,
            updatedAt: now(),
          });
        },
      });

      const headers: Record<string, string> = {};
      if (used.conversationState !== 'none') headers['x-bridge-conversation'] = used.conversationState;
      Object.assign(headers, answerSideHeaders(used, request));
      const answer: ChatAnswer = { model: request.model, events, headers, warnings: [...prepared.warnings, ...used.warnings] };
      if (conversationId !== undefined) answer.conversation = { conversationId, evaluationSessionId: started.ids.sessionId };
      return answer;
    },
  };
}

/**
 * Which side of the evaluation the answer is, and which model produced it when that is known
 * (side-by-side names both models; a battle's models are anonymous).
 */
function answerSideHeaders(plan: { mode: string; side: 'a' | 'b' }, request: ChatRequest): Record<string, string> {
  if (plan.mode === 'side-by-side') {
    return { 'x-bridge-answer-side': plan.side.toUpperCase(), 'x-bridge-answer-model': request.model, 'x-bridge-model-b': request.modelB ?? '' };
  }
  if (plan.mode === 'battle') return { 'x-bridge-answer-side': plan.side.toUpperCase() };
  return {};
}
