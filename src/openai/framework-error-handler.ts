import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../observability/logger.js';
import { endSocketAfterReply } from './end-socket-after-reply.js';
import type { HostGuard } from './host-guard.js';
import { badUrlEscapeError } from './reject-bad-url-escapes.js';
import { renderError } from './render-error.js';

/** Options of {@link createFrameworkErrorHandler}. */
export interface FrameworkErrorHandlerOptions {
  /** Checked first: a request with a refused Host gets 421 whatever else is wrong with it. */
  hostGuard: Pick<HostGuard, 'refusalFor'>;
  logger: Logger;
}

/**
 * Builds Fastify's `frameworkErrors` handler. Fastify calls it for requests its router refuses
 * before any hook or route runs (a path with a bad %-escape, an over-long path parameter), so
 * neither the error handler nor the Host check covers them: this answers with the Host check's
 * 421 or the OpenAI-shaped error (400 `malformed_request` for a bad escape), and closes the
 * connection.
 * @example Fastify({ frameworkErrors: createFrameworkErrorHandler({ hostGuard, logger }) })
 */
export function createFrameworkErrorHandler(options: FrameworkErrorHandlerOptions) {
  return function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const refusal = options.hostGuard.refusalFor(request.headers.host);
    const rendered = renderError(refusal ?? (error.code === 'FST_ERR_BAD_URL' ? badUrlEscapeError(error) : error));
    options.logger.debug('request refused by the router', { requestId: request.id, fastifyCode: error.code, status: rendered.status });
    endSocketAfterReply(request, reply);
    void reply.code(rendered.status).headers({ ...rendered.headers, 'x-request-id': request.id, connection: 'close' }).send(rendered.body);
  };
}
