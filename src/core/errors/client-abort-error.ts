import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The client went away; never rendered, only used to unwind work. */
export class ClientAbortError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'client_closed_request'> } = {}) {
    super(options.code ?? 'client_closed_request', message, options);
    this.name = 'ClientAbortError';
  }
}
