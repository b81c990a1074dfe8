import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chatCompletionRequestSchema, type ChatCompletionWire } from '../chat-completion-wire.js';
import { toChatCompletionBody } from '../chat-completion-body.js';
import { collectAnswer } from '../collect-answer.js';
import type { InFlightRequests } from '../in-flight-requests.js';
import type { OpenAIDependencies } from '../openai-dependencies.js';
import { parseRequestBody } from '../parse-request-body.js';
import { ChatChunkEncoder } from '../sse.js';
import { streamChatCompletion } from '../stream-chat-completion.js';
import { toChatRequest } from '../to-chat-request.js';
import { warningHeaders } from '../warning-headers.js';

/** Default wait for core's first output before a stream commits to 200. */
export const DEFAULT_HEADERS_GRACE_MS = 3000;

/** `POST /v1/chat/completions` (and `/chat/completions`): JSON or SSE answers from core. */
export function registerChatCompletionsRoute(app: FastifyInstance, deps: OpenAIDependencies, inFlight: InFlightRequests): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<ChatCompletionWire | FastifyReply> => {
    const body = parseRequestBody(chatCompletionRequestSchema, request.body);
    const converted = toChatRequest(body, request.id);
    const logger = deps.logger.child({ requestId: request.id, model: body.model });
    if (converted.warnings.length > 0) logger.debug('request warnings', { warnings: converted.warnings });
    const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    const lifetime = inFlight.begin(reply);
    try {
      if (converted.request.stream) {
        const encoder = new ChatChunkEncoder({ id, created, model: body.model, includeUsage: converted.includeUsage });
        await streamChatCompletion({
          chat: deps.chat,
          request: converted.request,
          lifetime,
          reply,
          encoder,
          headersGraceMs: deps.headersGraceMs ?? DEFAULT_HEADERS_GRACE_MS,
          pingIntervalMs: deps.pingIntervalMs,
          warnings: converted.warnings,
          logger,
        });
        return reply;
      }
      const answer = await deps.chat.chat(converted.request, lifetime.signal);
      const collected = await collectAnswer(answer);
      const warnings = [...converted.warnings, ...answer.warnings];
      if (answer.warnings.length > 0) logger.debug('answer warnings', { warnings: answer.warnings });
      reply.headers({ ...answer.headers, ...warningHeaders(warnings) });
      return toChatCompletionBody(collected, { id, created, model: answer.model, ...(answer.conversation === undefined ? {} : { conversation: answer.conversation }) });
    } finally {
      lifetime.release();
    }
  };
  app.post('/v1/chat/completions', handler);
  app.post('/chat/completions', handler);
}
