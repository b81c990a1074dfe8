import type { ExchangeFailure } from './stream-reader.js';
import type { BridgeError } from './errors/index.js';
import { UpstreamTimeoutError } from './errors/index.js';
import { jobFailureToBridgeError, toBridgeError } from './to-bridge-error.js';
import type { WorkerOutcome } from './worker-source.js';

/** The pool outcome a failure implies, if any. */
export function outcomeOf(failure: ExchangeFailure): WorkerOutcome | undefined {
  if (failure.kind === 'idle-timeout') return undefined;
  if (failure.kind === 'job') {
    if (failure.reason === 'worker-lost') return { kind: 'worker-lost' };
    if (failure.reason === 'challenge') return { kind: 'challenge' };
    if (failure.reason === 'recaptcha-failed' || failure.reason === 'recaptcha-unavailable') return { kind: 'recaptcha-rejected', fromPage: true };
    return undefined;
  }
  switch (failure.error.kind) {
    case 'challenge':
      return { kind: 'challenge' };
    case 'recaptcha-rejected':
      return failure.error.retryAfterSeconds === undefined
        ? { kind: 'recaptcha-rejected' }
        : { kind: 'recaptcha-rejected', retryAfterSeconds: failure.error.retryAfterSeconds };
    case 'login-gate':
      return { kind: 'login-gate' };
    case 'auth-expired':
      return { kind: 'auth-expired' };
    case 'rate-limited':
      return failure.error.retryAfterSeconds === undefined
        ? { kind: 'rate-limited' }
        : { kind: 'rate-limited', retryAfterSeconds: failure.error.retryAfterSeconds };
    default:
      return undefined;
  }
}

/** The BridgeError a failure surfaces as. */
export function failureToBridgeError(failure: ExchangeFailure, idleTimeoutMs: number): BridgeError {
  if (failure.kind === 'idle-timeout') {
    return new UpstreamTimeoutError(
      `LMArena sent nothing for ${Math.round(idleTimeoutMs / 1000)} seconds (stream_response_timeout_seconds). Retry, or raise the timeout for slow models.`,
    );
  }
  if (failure.kind === 'job') return jobFailureToBridgeError(failure.reason, failure.message);
  return toBridgeError(failure.error);
}
