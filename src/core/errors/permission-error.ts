import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The arena refused the request's reCAPTCHA token even after re-minting (403). */
export class PermissionError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'recaptcha_failed'> } = {}) {
    super(options.code ?? 'recaptcha_failed', message, options);
    this.name = 'PermissionError';
  }
}
