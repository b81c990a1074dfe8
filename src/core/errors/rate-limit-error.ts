import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The arena rate-limited the request (429, with Retry-After when known). */
export class RateLimitError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'rate_limited' | 'account_budget_exhausted'> } = {}) {
    super(options.code ?? 'rate_limited', message, options);
    this.name = 'RateLimitError';
  }
}
