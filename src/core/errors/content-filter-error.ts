import { BridgeError, type BridgeErrorOptions } from './bridge-error.js';
import type { ErrorCode } from './error-codes.js';

/** The arena's moderation rejected the prompt (422). */
export class ContentFilterError extends BridgeError {
  constructor(message: string, options: BridgeErrorOptions & { code?: Extract<ErrorCode, 'content_filter'> } = {}) {
    super(options.code ?? 'content_filter', message, options);
    this.name = 'ContentFilterError';
  }
}
