import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The client sent something the bridge cannot accept (400, 404 for unknown routes, 413 for size, 415 for a body encoding it cannot decode, 400/408/431 for bytes that are not a well-formed HTTP request in time, 421 for a Host that does not name the bridge, 426 for a plain HTTP request to a WebSocket endpoint). */
export class InvalidRequestError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'invalid_json' | 'invalid_request' | 'prompt_too_long' | 'unsupported_attachment' | 'route_not_found' | 'request_too_large' | 'unsupported_content_encoding' | 'attachment_too_large' | 'malformed_request' | 'request_timeout' | 'request_headers_too_large' | 'host_not_allowed' | 'upgrade_required'> } = {}) {
    super(options.code ?? 'invalid_request', message, options);
    this.name = 'InvalidRequestError';
  }
}
