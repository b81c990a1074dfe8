import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The arena or the worker failed in a way the client cannot fix (502). */
export class UpstreamError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'upstream_error' | 'upstream_challenge' | 'model_unavailable' | 'upstream_stream_error' | 'worker_lost' | 'internal_error'> } = {}) {
    super(options.code ?? 'upstream_error', message, options);
    this.name = 'UpstreamError';
  }
}
