import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The client sent something the bridge cannot accept (400, 404 for unknown routes, 413 for size). */
export class InvalidRequestError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'invalid_json' | 'invalid_request' | 'prompt_too_long' | 'unsupported_attachment' | 'route_not_found' | 'request_too_large' | 'attachment_too_large'> } = {}) {
    super(options.code ?? 'invalid_request', message, options);
    this.name = 'InvalidRequestError';
  }
}
