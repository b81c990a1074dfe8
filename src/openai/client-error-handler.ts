import type { Socket } from 'node:net';
import { InvalidRequestError, type BridgeError } from '../core/errors/index.js';
import type { Logger } from '../observability/logger.js';
import { rawErrorResponse } from './raw-error-response.js';

/** What Node's `clientError` event carries: parse errors have an `HPE_*` code and llhttp's `reason`. */
export interface ClientErrorLike {
  code?: unknown;
  reason?: unknown;
}

const FIX_CLIENT = 'fix the client or proxy that sent it; a standard HTTP client never sends this';

/**
 * The BridgeError for an error Node reports on a client connection before Fastify sees a request:
 * HTTP parse errors (`HPE_*`) are 400 `malformed_request` (431 `request_headers_too_large` for a
 * head over Node's size limit), `ERR_HTTP_REQUEST_TIMEOUT` is 408 `request_timeout`. Undefined for
 * socket errors (`ECONNRESET`, `EPIPE`, …): the peer is gone, nothing is sent.
 */
export function clientErrorToBridgeError(error: ClientErrorLike): BridgeError | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new InvalidRequestError(
      'The request did not arrive in time (headers_timeout_seconds for its head, body_timeout_seconds for the whole request); send it at once, or raise those settings in config.jsonc for a very slow link.',
      { code: 'request_timeout', cause: error },
    );
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new InvalidRequestError(
      "The request's headers are larger than the bridge accepts (Node's --max-http-header-size, 16 KiB by default); send fewer or shorter headers.",
      { code: 'request_headers_too_large', cause: error },
    );
  }
  if (code === 'HPE_INVALID_EOF_STATE') {
    return new InvalidRequestError(
      `The connection was closed before the whole request arrived (a body shorter than its Content-Length, or a chunked body cut short); ${FIX_CLIENT}.`,
      { code: 'malformed_request', cause: error },
    );
  }
  if (code.startsWith('HPE_')) {
    const reason = typeof error.reason === 'string' && error.reason !== '' ? error.reason.slice(0, 200) : code;
    return new InvalidRequestError(`The request is not well-formed HTTP (${reason}); ${FIX_CLIENT}.`, { code: 'malformed_request', cause: error });
  }
  return undefined;
}

/**
 * Builds Fastify's `clientErrorHandler` (Node's `clientError` event): bytes that are not a
 * well-formed HTTP request, and requests that do not arrive in time, are answered with the
 * OpenAI-shaped error of {@link clientErrorToBridgeError} and the connection is closed. Nothing
 * is written when a response on the connection has already started, or the peer is gone.
 * @example Fastify({ clientErrorHandler: createClientErrorHandler(logger) })
 */
export function createClientErrorHandler(logger: Logger): (error: Error & ClientErrorLike, socket: Socket) => void {
  return function clientErrorHandler(error, socket) {
    // The parser repeats its error for every later chunk of data; the first answer stands.
    if (socket.writableEnded) return;
    const bridgeError = clientErrorToBridgeError(error);
    // Node keeps the response being written on a connection as `_httpMessage`; once its head is
    // out, any byte added here would corrupt it.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (bridgeError === undefined || socket.destroyed || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    logger.debug('client error', { code: error.code, status: bridgeError.status, remoteAddress: socket.remoteAddress });
    socket.end(rawErrorResponse(bridgeError), () => socket.destroy());
  };
}
