import { ERROR_CODES, type ErrorCode } from './error-codes.js';

const MARKER = Symbol.for('lmarena-bridge.BridgeError');

/** Options every bridge error accepts. */
export interface BridgeErrorOptions {
  /** The request field at fault, rendered as OpenAI's `param`. */
  param?: string;
  cause?: unknown;
  /** Extra HTTP headers for the error response (e.g. `Retry-After`). */
  headers?: Record<string, string>;
}

/**
 * The one error model of the bridge. Every failure becomes a BridgeError with a stable `code`;
 * only src/openai renders it (OpenAI-shaped JSON, or an SSE error event mid-stream).
 */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;
  readonly [MARKER] = true;

  constructor(code: ErrorCode, message: string, options: BridgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.type = ERROR_CODES[code].type;
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
}

/** True for any BridgeError, even one from another copy of this module. */
export function isBridgeError(value: unknown): value is BridgeError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** Normalises any thrown value to an Error once, at the edge where it is caught. */
export function castToError(value: unknown): Error {
  if (value instanceof Error) return value;
  try {
    return new Error(typeof value === 'string' ? value : JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}
