import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** Missing or wrong API key, or the arena wants a signed-in account (401). */
export class AuthenticationError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'invalid_api_key' | 'login_required' | 'session_access_denied'> } = {}) {
    super(options.code ?? 'invalid_api_key', message, options);
    this.name = 'AuthenticationError';
  }
}
