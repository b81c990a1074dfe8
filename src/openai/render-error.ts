import type {
  BridgeError} from '../core/errors/index.js';
import {
  ClientAbortError,
  InvalidRequestError,
  isBridgeError,
  UpstreamError,
} from '../core/errors/index.js';

/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export interface ErrorBodyWire {
  error: { message: string; type: string; param: string | null; code: string };
}

/** An error ready to send: status, extra headers, body. */
export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: ErrorBodyWire;
}

function fastifyCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Maps anything thrown while serving a request to a BridgeError. Fastify's body-parsing errors
 * become client errors with instructions; anything unknown becomes a generic `internal_error`
 * whose details stay in the log (the original is kept as `cause`).
 */
export function thrownToBridgeError(error: unknown): BridgeError {
  if (isBridgeError(error)) return error;
  const code = fastifyCode(error);
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new InvalidRequestError(
        'The request body is larger than the bridge accepts; send a smaller body (inline attachments count) or raise max_request_body_mb in config.jsonc.',
        { code: 'request_too_large', cause: error },
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new InvalidRequestError('The request body is not valid JSON; check quoting and escaping.', { code: 'invalid_json', cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidRequestError('The request body is empty; send a JSON object.', { code: 'invalid_json', cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new InvalidRequestError('Unsupported Content-Type; send the body as JSON with Content-Type: application/json.', { cause: error });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new InvalidRequestError('The request body length does not match its Content-Length header; fix the client or proxy that sent it.', { code: 'malformed_request', cause: error });
  }
  // Reading a request body fails with Node's ECONNRESET, which Fastify marks 400, when the
  // connection closes first: the client left, or a framing error was answered and the connection
  // closed (see client-error-handler.ts). Nobody is left to answer.
  if (code === undefined && statusOf(error) === 400 && (error as { code?: unknown }).code === 'ECONNRESET') {
    return new ClientAbortError('The client closed the connection before the request was read.', { cause: error });
  }
  const status = statusOf(error);
  if (code !== undefined && status === 404) {
    return new InvalidRequestError('Route not found.', { code: 'route_not_found', cause: error });
  }
  if (code !== undefined && status !== undefined && status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : 'The request is invalid.';
    return new InvalidRequestError(message, { cause: error });
  }
  return new UpstreamError('The bridge failed unexpectedly; see its log for details.', { code: 'internal_error', cause: error });
}

/**
 * The one error renderer: HTTP responses (error and not-found handlers) and in-stream SSE error
 * events both use it. ClientAbortError is never rendered: callers drop it, the client is gone.
 */
export function renderError(error: unknown): RenderedError {
  const bridgeError = thrownToBridgeError(error);
  return {
    status: bridgeError.status,
    headers: { ...bridgeError.headers },
    body: {
      error: {
        message: bridgeError.message,
        type: bridgeError.type,
        param: bridgeError.param ?? null,
        code: bridgeError.code,
      },
    },
  };
}
