import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The arena did not answer within the deadline (504). */
export class UpstreamTimeoutError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'upstream_timeout'> } = {}) {
    super(options.code ?? 'upstream_timeout', message, options);
    this.name = 'UpstreamTimeoutError';
  }
}
