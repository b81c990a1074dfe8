import { randomUUID } from 'node:crypto';
import type { Logger } from '../../observability/logger.js';
import type { ChatMetrics } from '../../observability/metrics.js';
import type { AttachmentPreparer } from '../attachments/prepare-attachments.js';
import type { AnswerBatchRewriter } from '../attachments/save-generated-images.js';
import { createGenAIdPicker, type GenAIdPicker } from '../captured-ids/gen-a-id-picker.js';
import { createRestingIdPicker } from '../captured-ids/resting-id-picker.js';
import { planConversationTurn, type RequestPlan } from '../conversation/conversation-plan.js';
import { rememberAnswer, type ConversationStore } from '../conversation/conversation-store.js';
import type { DirectModeMemory } from '../conversation/direct-mode.js';
import type { UploadText } from '../conversation/overflow-file.js';
import { ClientAbortError } from '../errors/index.js';
import { Exchange } from '../exchange/exchange.js';
import type { ArenaModelDirectory } from '../models/model-directory.js';
import type { WorkerPool } from '../pool/pool-types.js';
import type { ChatServiceOptions } from './chat-service-options.js';
import type { ChatAnswer, ChatRequest, ChatService } from './chat-types.js';
import { startRequestMeter, type RequestMeter } from './request-meter.js';
import { requireImageOutput } from './require-image-output.js';

/** What {@link createChatService} needs. */
export interface ChatServiceDependencies {
  workers: Pick<WorkerPool, 'acquire' | 'reportOutcome' | 'observeBudget' | 'alternatives' | 'accountHeld' | 'snapshot' | 'size'>;
  /** Resolves model names; `list` names the image models when an image generation picks another kind. */
  models: Pick<ArenaModelDirectory, 'resolve' | 'list'>;
  conversations: ConversationStore;
  options: ChatServiceOptions;
  logger: Logger;
  /** Time to first output and outcome of every request; without it nothing is measured. */
  metrics?: ChatMetrics;
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
 * The chat service, one request top to bottom: resolve the model(s), check and upload the
 * attachments, plan the turn against the conversation map (new evaluation, continuation,
 * regeneration or Gen A replay), open the {@link Exchange} that attempts it until the first
 * output, and hand back the answer whose events are the exchange itself. With `modelB` the
 * evaluation is side-by-side against that model and side A is streamed.
 */
export function createChatService(dependencies: ChatServiceDependencies): ChatService {
  const { workers, models, conversations, options, logger } = dependencies;
  const now = dependencies.now ?? Date.now;
  const genAIds = createRestingIdPicker(dependencies.genAIds ?? createGenAIdPicker(options), {
    restMs: options.unhealthySessionRestMs,
    now,
    logger,
  });

  async function answer(request: ChatRequest, signal: AbortSignal, meter: RequestMeter): Promise<ChatAnswer> {
    if (signal.aborted) throw new ClientAbortError('The client cancelled the request.');
    const log = logger.child({ requestId: request.requestId, model: request.model });
    // With no worker connected nothing can answer and the live model list was never fetched, so
    // the pool's "connect a worker" error is the useful one, not "model unknown".
    if (workers.size === 0) (await workers.acquire({ signal, streamRequest: false })).release();
    const model = await models.resolve(request.model, signal);
    if (request.requiredOutput === 'image') requireImageOutput(model, models.list());
    const modelB = request.modelB ? await models.resolve(request.modelB, signal) : undefined;
    // Only the sent copy carries upload URLs; the conversation is found by what the client sent.
    const sent = dependencies.attachments ? await dependencies.attachments.prepare(request, model, signal) : { messages: request.messages, warnings: [] };

    const exchange = await Exchange.open({
      plan: () =>
        planConversationTurn({
          request,
          sentMessages: sent.messages,
          model,
          modelB,
          options,
          conversations,
          genAIds,
          workers,
          newConversationId: randomUUID,
          ...(dependencies.uploadText ? { uploadText: dependencies.uploadText } : {}),
          ...(dependencies.directMode ? { directMode: dependencies.directMode } : {}),
        }),
      model: request.model,
      workers,
      genAIds,
      options,
      signal,
      logger: log,
      meter,
      ...(dependencies.rewriteAnswer ? { rewrite: dependencies.rewriteAnswer } : {}),
      onComplete({ text, plan, ids, worker }) {
        if (plan.conversationId === undefined) return;
        rememberAnswer(conversations, request.messages, text, {
          conversationId: plan.conversationId,
          evaluationSessionId: ids.sessionId,
          lastUserMessageId: ids.userMessageId,
          lastAssistantMessageId: ids.modelAMessageId,
          model: request.model,
          modelId: model.id,
          mode: plan.mode,
          workerIdentity: worker.page.identity,
          updatedAt: now(),
        });
      },
    });
    const plan = exchange.plan;
    log.debug('Answer started', { operation: plan.operation, worker: exchange.worker.id, attempts: exchange.attempts });

    const headers: Record<string, string> = answerHeaders(plan, request);
    const result: ChatAnswer = { model: request.model, events: exchange, headers, warnings: [...sent.warnings, ...plan.warnings] };
    if (plan.conversationId !== undefined) result.conversation = { conversationId: plan.conversationId, evaluationSessionId: exchange.ids.sessionId };
    return result;
  }

  return {
    async chat(request, signal) {
      const meter = startRequestMeter(dependencies.metrics, request);
      try {
        return await answer(request, signal, meter);
      } catch (error) {
        meter.failed(error);
        throw error;
      }
    },
  };
}

/**
 * How the conversation was treated, which side of the evaluation the answer is, and which model
 * produced it when that is known (side-by-side names both models; a battle's models are anonymous).
 */
function answerHeaders(plan: RequestPlan, request: ChatRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (plan.conversationState !== 'none') headers['x-bridge-conversation'] = plan.conversationState;
  if (plan.mode === 'side-by-side') {
    headers['x-bridge-answer-side'] = plan.side.toUpperCase();
    headers['x-bridge-answer-model'] = request.model;
    headers['x-bridge-model-b'] = request.modelB ?? '';
  } else if (plan.mode === 'battle') {
    headers['x-bridge-answer-side'] = plan.side.toUpperCase();
  }
  return headers;
}
