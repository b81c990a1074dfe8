import type { ArenaError } from '../../arena/types.js';
import type { JobFailureReason } from '../../shared/worker-protocol.js';
import {
  AuthenticationError,
  ClientAbortError,
  ContentFilterError,
  InvalidRequestError,
  PermissionError,
  RateLimitError,
  UpstreamError,
  UpstreamTimeoutError,
  type BridgeError,
} from '../errors/index.js';
import type { WorkerOutcome } from '../pool/pool-types.js';

/** Why an exchange failed: typed (an upstream kind, a job failure, silence) until {@link toBridgeError}. */
export type ExchangeFailure =
  | { kind: 'arena'; error: ArenaError }
  | { kind: 'job'; reason: JobFailureReason | 'worker-lost'; message: string }
  | { kind: 'idle-timeout' };

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

/**
 * The one conversion of a failure into the bridge's error family, where it leaves the exchange.
 * Messages say what failed and what to do; the upstream text is kept where it helps the user.
 */
export function toBridgeError(failure: ExchangeFailure, idleTimeoutMs: number): BridgeError {
  if (failure.kind === 'idle-timeout') {
    return new UpstreamTimeoutError(
      `LMArena sent nothing for ${Math.round(idleTimeoutMs / 1000)} seconds (stream_response_timeout_seconds). Retry, or raise the timeout for slow models.`,
    );
  }
  if (failure.kind === 'job') return jobFailureError(failure.reason, failure.message);
  return arenaFailureError(failure.error);
}

function upstreamText(error: ArenaError): string {
  const text = error.message.trim();
  const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
  return text === '' ? `LMArena answered with an error${status}.` : `LMArena answered${status}: ${text}`;
}

/** An upstream failure, by kind. */
function arenaFailureError(error: ArenaError): BridgeError {
  const options = { cause: error };
  switch (error.kind) {
    case 'rate-limited': {
      const wait = error.retryAfterSeconds;
      return new RateLimitError(
        `LMArena rate-limited the request. ${wait === undefined ? 'Wait a little' : `Wait ${wait} seconds`} before retrying, or connect more signed-in workers.`,
        { ...options, headers: wait === undefined ? {} : { 'Retry-After': String(wait) } },
      );
    }
    case 'recaptcha-rejected':
      return new PermissionError(
        'LMArena rejected the reCAPTCHA token even after minting a fresh one. Open the arena tab of the worker, solve any challenge shown there, then retry.',
        options,
      );
    case 'challenge':
      return new UpstreamError(
        'The page is showing a Cloudflare check; the worker is reloading it. Retry in a few seconds, or solve the check in the worker\'s browser.',
        { ...options, code: 'upstream_challenge' },
      );
    case 'login-gate':
      return new AuthenticationError(
        'LMArena requires a signed-in account for this model. Run `lmarena-bridge login`, or install the userscript in a browser that is signed in to arena.ai.',
        { ...options, code: 'login_required' },
      );
    case 'session-access-denied':
      return new AuthenticationError(
        `The arena session belongs to another account. Start a new conversation, or use a worker signed in as the account that created it. ${upstreamText(error)}`,
        { ...options, code: 'session_access_denied' },
      );
    case 'auth-expired':
    case 'unauthenticated':
      return new AuthenticationError(
        `The worker's arena session is missing or expired. Reload the arena tab, or run \`lmarena-bridge login\` again. ${upstreamText(error)}`,
        { ...options, code: 'login_required' },
      );
    case 'moderation':
      return new ContentFilterError(`LMArena's moderation rejected the prompt. Rephrase it and retry. ${upstreamText(error)}`, options);
    case 'too-large':
      return new InvalidRequestError('LMArena refused the attachments as too large (about 5 MB in total works). Send smaller files.', {
        ...options,
        code: 'attachment_too_large',
      });
    case 'model-unavailable':
      return new UpstreamError(`The model is unavailable on LMArena right now. Try again later or pick another model. ${upstreamText(error)}`, {
        ...options,
        code: 'model_unavailable',
      });
    case 'truncated':
      return new UpstreamError('LMArena\'s answer stream ended before the answer finished. Retry the request.', {
        ...options,
        code: 'upstream_stream_error',
      });
    case 'empty-stream':
    case 'malformed':
      return new UpstreamError(`LMArena sent an answer stream the bridge could not use (${error.kind}). Retry the request. ${upstreamText(error)}`, {
        ...options,
        code: 'upstream_stream_error',
      });
    case 'moved':
    case 'method-not-allowed':
      // §2.1: after a domain move the old origin redirects, and a POST that follows the redirect
      // arrives as a GET the stream endpoint refuses with 405.
      return new UpstreamError(
        `LMArena ${error.kind === 'moved' ? `redirected the request${error.location === undefined ? '' : ` to ${error.location}`}` : 'refused the request\'s method, as it does after a redirect'}: the site has moved to another address. ` +
          `Set arena_url to the site's current origin (https://arena.ai) and open the worker's page there. ${upstreamText(error)}`,
        options,
      );
    case 'not-found':
    case 'route-not-allowed':
      return new UpstreamError(
        `LMArena did not accept the request path (${error.kind}); the site may have changed. Check arena_url and update the bridge. ${upstreamText(error)}`,
        options,
      );
    case 'mode-not-allowed':
      return new UpstreamError(
        `LMArena refused the evaluation mode for a new conversation with both "direct" and "direct-battle". The site has changed; update the bridge. ${upstreamText(error)}`,
        options,
      );
    case 'duplicate-ids':
    case 'bad-request':
    case 'provider-error':
    case 'server-error':
      return new UpstreamError(`${upstreamText(error)} Retry the request; if it keeps failing, check /health.`, options);
  }
}

/** An in-page job failure (no upstream response to classify). */
function jobFailureError(reason: JobFailureReason | 'worker-lost', message: string): BridgeError {
  switch (reason) {
    case 'aborted':
      return new ClientAbortError(`The request was cancelled: ${message}`);
    case 'worker-lost':
      return new UpstreamError(`The browser worker disconnected during the request (${message}). Retry; check /health for connected workers.`, {
        code: 'worker_lost',
      });
    case 'challenge':
      return arenaFailureError({ kind: 'challenge', message });
    case 'recaptcha-unavailable':
    case 'recaptcha-failed':
      return new PermissionError(`The worker could not obtain a reCAPTCHA token (${message}). Reload the arena tab of the worker and retry.`);
    case 'network':
      return new UpstreamError(`The worker could not reach LMArena (${message}). Check the browser's connection and retry.`);
    case 'bad-request':
    case 'internal':
      return new UpstreamError(`The browser worker failed to perform the request (${message}). Retry; if it keeps failing, reload the worker.`, {
        code: 'internal_error',
      });
  }
}
