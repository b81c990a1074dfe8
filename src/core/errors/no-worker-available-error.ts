import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** No browser worker can take the request now (503). */
export class NoWorkerAvailableError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'no_worker_available' | 'queue_full' | 'shutting_down' | 'account_verification_required'> } = {}) {
    super(options.code ?? 'no_worker_available', message, options);
    this.name = 'NoWorkerAvailableError';
  }
}
