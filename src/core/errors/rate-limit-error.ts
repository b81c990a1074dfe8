import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The arena rate-limited the request (429, with Retry-After when known), or a client holds too many connections. */
export class RateLimitError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'rate_limited' | 'account_budget_exhausted' | 'too_many_connections'> } = {}) {
    super(options.code ?? 'rate_limited', message, options);
    this.name = 'RateLimitError';
  }
}
