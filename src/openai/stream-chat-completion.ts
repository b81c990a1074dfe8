import type { FastifyReply } from 'fastify';
import type { ChatAnswer, ChatRequest, ChatService } from '../core/chat/chat-types.js';
import { castToError, isBridgeError } from '../core/errors/index.js';
import type { Logger } from '../observability/logger.js';
import type { RequestLifetime } from './in-flight-requests.js';
import { renderError } from './render-error.js';
import { formatSseError, SSE_DONE, type ChatChunkEncoder } from './sse.js';
import { SseWriter } from './sse-writer.js';
import { warningHeaders } from './warning-headers.js';

/** What {@link streamChatCompletion} needs for one request. */
export interface StreamChatOptions {
  chat: ChatService;
  request: ChatRequest;
  lifetime: RequestLifetime;
  reply: FastifyReply;
  encoder: ChatChunkEncoder;
  headersGraceMs: number;
  pingIntervalMs: number;
  /** Non-fatal notes from converting the request; sent with core's in `x-bridge-warnings`. */
  warnings: string[];
  logger: Logger;
}

type Early = { status: 'fulfilled'; answer: ChatAnswer } | { status: 'rejected'; error: unknown } | { status: 'pending' };

async function settleWithin(pending: Promise<ChatAnswer>, ms: number): Promise<Early> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Early>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending' }), ms);
  });
  const settled = pending.then<Early, Early>((answer) => ({ status: 'fulfilled', answer }), (error: unknown) => ({ status: 'rejected', error }));
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A stream that dies because the bridge shuts down sees core's abort error; the signal's reason
 * says why. A client that left gets nothing (its socket is gone).
 */
function endWithError(writer: SseWriter, error: unknown, lifetime: RequestLifetime, logger: Logger): void {
  if (writer.closed || lifetime.clientGone) return writer.end();
  const reason: unknown = lifetime.signal.aborted ? lifetime.signal.reason : undefined;
  const shown = isBridgeError(reason) && reason.code !== 'client_closed_request' ? reason : error;
  if (isBridgeError(shown) && shown.code === 'client_closed_request') return writer.end();
  const rendered = renderError(shown);
  if (rendered.status >= 500 && !isBridgeError(shown)) {
    const cause = castToError(shown);
    logger.error('stream failed unexpectedly', { error: cause.message, stack: cause.stack });
  }
  else logger.debug('stream ended with an error', { code: rendered.body.error.code });
  writer.end(formatSseError(rendered.body) + SSE_DONE);
}

/** Pulls the answer batch by batch, writing each only after the previous one was flushed. */
async function pump(answer: ChatAnswer, writer: SseWriter, options: StreamChatOptions): Promise<void> {
  const { encoder, lifetime, logger } = options;
  const iterator = answer.events[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    if (!(await writer.write(encoder.start(answer.conversation)))) return;
    for (;;) {
      const result = await iterator.next();
      if (result.done === true) break;
      const text = encoder.encode(result.value);
      if (text !== '' && !(await writer.write(text))) return;
    }
    exhausted = true;
    writer.end(encoder.end() + SSE_DONE);
  } catch (error) {
    exhausted = true;
    endWithError(writer, error, lifetime, logger);
  } finally {
    // Leaving early (client gone) must tell core, which cancels the page's fetch.
    if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * Serves `stream: true`. Headers wait for core's first output up to `headersGraceMs`, so early
 * failures are still plain HTTP errors (thrown to the error handler); after that the 200 and SSE
 * headers go out, `: ping` comments keep the line alive, and failures become in-stream error events.
 */
export async function streamChatCompletion(options: StreamChatOptions): Promise<void> {
  const { reply, lifetime, logger } = options;
  const pending = options.chat.chat(options.request, lifetime.signal);
  const early = await settleWithin(pending, options.headersGraceMs);
  if (early.status === 'rejected') throw early.error;
  reply.hijack();
  const writer = new SseWriter(reply.raw, options.pingIntervalMs);
  // After the grace period core's headers and warnings come too late for the response head.
  const answerHeaders = early.status === 'fulfilled' ? early.answer.headers : {};
  const warnings = early.status === 'fulfilled' ? [...options.warnings, ...early.answer.warnings] : options.warnings;
  writer.open({ ...reply.getHeaders(), ...answerHeaders, ...warningHeaders(warnings) }, early.status === 'pending');
  let answer: ChatAnswer;
  if (early.status === 'fulfilled') {
    answer = early.answer;
  } else {
    try {
      answer = await pending;
    } catch (error) {
      return endWithError(writer, error, lifetime, logger);
    }
  }
  await pump(answer, writer, options);
}
