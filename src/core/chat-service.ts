import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import { createAnswerEvents } from './answer-events.js';
import type { ChatServiceOptions } from './chat-service-options.js';
import type { ChatAnswer, ChatRequest, ChatService } from './chat-types.js';
import { conversationKey } from './conversation-key.js';
import type { ConversationStore } from './conversation-store.js';
import { dispatch } from './dispatch.js';
import { ClientAbortError } from './errors/index.js';
import { createGenAIdPicker, type GenAIdPicker } from './gen-a-id-picker.js';
import type { ArenaModelDirectory } from './model-directory.js';
import { planRequest } from './plan-request.js';
import type { WorkerSource } from './worker-source.js';

/** What {@link createChatService} needs. */
export interface ChatServiceDependencies {
  workers: WorkerSource;
  models: Pick<ArenaModelDirectory, 'resolve'>;
  conversations: ConversationStore;
  options: ChatServiceOptions;
  logger: Logger;
  /** Gen A id selection. @default createGenAIdPicker(options) */
  genAIds?: GenAIdPicker;
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
  const genAIds = dependencies.genAIds ?? createGenAIdPicker(options);

  return {
    async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatAnswer> {
      if (signal.aborted) throw new ClientAbortError('The client cancelled the request.');
      const log = logger.child({ requestId: request.requestId, model: request.model });
      const model = await models.resolve(request.model, signal);
      const modelB = request.modelB ? await models.resolve(request.modelB, signal) : undefined;
      const plan = planRequest({ request, model, modelB, options, conversations, genAIds, workers, newConversationId: randomUUID });

      const started = await dispatch({ plan, workers, options, signal, logger: log });
      const used = started.plan;
      const worker = started.lease.worker;
      log.debug('Answer started', { operation: used.operation, worker: worker.id, attempts: started.attempts });

      const conversationId = used.conversationId;
      const events = createAnswerEvents({
        started,
        workers,
        signal,
        idleTimeoutMs: options.idleTimeoutMs,
        logger: log,
        onComplete(text) {
          if (conversationId === undefined) return;
          const history = [...request.messages, { role: 'assistant' as const, content: text, attachments: [] }];
          conversations.put(conversationKey(history), {
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
      const answer: ChatAnswer = { model: request.model, events, headers, warnings: [...used.warnings] };
      if (conversationId !== undefined) answer.conversation = { conversationId, evaluationSessionId: started.ids.sessionId };
      return answer;
    },
  };
}
