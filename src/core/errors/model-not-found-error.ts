import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The requested model is not known to the bridge (404). */
export class ModelNotFoundError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'model_not_found'> } = {}) {
    super(options.code ?? 'model_not_found', message, options);
    this.name = 'ModelNotFoundError';
  }
}
