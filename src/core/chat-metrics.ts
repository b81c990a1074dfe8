import type { ChatMetrics } from '../observability/metrics.js';
import type { ChatEvent, ChatService } from './chat-types.js';
import { isBridgeError } from './errors/index.js';

function codeOf(error: unknown): string {
  return isBridgeError(error) ? error.code : 'internal_error';
}

/**
 * Wraps a chat service so that every answer reports its time to first output and how it ended:
 * `ok` once its finish arrives (or it ends cleanly), otherwise the error code it failed with,
 * `client_closed_request` when the client left first. A name the bridge could not resolve is
 * reported as model `unknown`, so clients cannot grow the label set with made-up names.
 */
export function withChatMetrics(chat: ChatService, metrics: ChatMetrics, now: () => number = () => performance.now()): ChatService {
  return {
    async chat(request, signal) {
      const started = now();
      let ended = false;
      const end = (model: string, outcome: string): void => {
        if (ended) return;
        ended = true;
        metrics.completed({ model, stream: request.stream, outcome, seconds: (now() - started) / 1000 });
      };
      const answer = await chat.chat(request, signal).catch((error: unknown) => {
        const code = codeOf(error);
        end(code === 'model_not_found' ? 'unknown' : request.model, code);
        throw error;
      });
      const model = request.model;
      const events = answer.events[Symbol.asyncIterator]();
      let first = true;
      const counted: AsyncIterableIterator<ChatEvent[]> = {
        async next() {
          try {
            const result = await events.next();
            if (result.done === true) {
              end(model, 'ok');
              return result;
            }
            if (first && result.value.length > 0) {
              first = false;
              metrics.firstOutput(model, (now() - started) / 1000);
            }
            if (result.value.some((event) => event.type === 'finish')) end(model, 'ok');
            return result;
          } catch (error) {
            end(model, codeOf(error));
            throw error;
          }
        },
        async return() {
          // The consumer stopped before the finish: the client left (or its connection failed).
          end(model, 'client_closed_request');
          return (await events.return?.()) ?? { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return { ...answer, events: counted };
    },
  };
}
