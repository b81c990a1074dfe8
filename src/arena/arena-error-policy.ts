import type { ArenaError, ArenaErrorKind } from './types.js';

/**
 * Whether a failure that happened before any output reached the client is worth another attempt
 * (with fresh ids and a fresh token, §2.5/§6.1), per the bridges' reactions in §10.1:
 *
 * | kind | retry | why |
 * |---|---|---|
 * | challenge | yes | another worker, or the same page after it passes the challenge |
 * | recaptcha-rejected | yes | tokens are single-use; re-mint (then v2, §6.4) |
 * | duplicate-ids | yes | ids are regenerated per attempt |
 * | server-error | yes | 500/502/503/504 are transient |
 * | empty-stream | yes | CloudWaddie retries blocked/empty streams |
 * | truncated | yes | only reached here when nothing was shown to the client |
 * | provider-error | if `transient` | overloaded / resource exhausted; a bare kind counts as transient |
 * | rate-limited | no | needs another identity or waiting; core decides |
 * | mode-not-allowed | no | core switches `direct` ↔ `direct-battle` and tries again (§15.1) |
 * | model-unavailable | no | `hasArenaError` is specific to the model (g4f raises) |
 * | moderation, too-large, bad-request, not-found, malformed | no | the same request fails again |
 * | login-gate, session-access-denied, auth-expired, unauthenticated | no | needs sign-in, a refresh or new ids |
 * | route-not-allowed, moved, method-not-allowed | no | wrong path/host: a configuration problem |
 */
export function isRetryableBeforeOutput(kindOrError: ArenaErrorKind | ArenaError): boolean {
  const kind = typeof kindOrError === 'string' ? kindOrError : kindOrError.kind;
  switch (kind) {
    case 'challenge':
    case 'recaptcha-rejected':
    case 'duplicate-ids':
    case 'server-error':
    case 'empty-stream':
    case 'truncated':
      return true;
    case 'provider-error':
      return typeof kindOrError === 'string' || kindOrError.transient !== false;
    default:
      return false;
  }
}

const DESCRIPTIONS: Record<ArenaErrorKind, string> = {
  'rate-limited': 'LMArena rate-limited this browser identity; wait before retrying or add another worker',
  'recaptcha-rejected': 'LMArena rejected the reCAPTCHA token; let the worker page reload, or solve the reCAPTCHA shown in it',
  'mode-not-allowed': 'LMArena refused the evaluation mode for a new conversation; the bridge switches between "direct" and "direct-battle" (direct_mode_value)',
  challenge: 'A Cloudflare challenge blocked the request; open the worker\'s LMArena tab and pass the check',
  'login-gate': 'LMArena requires a signed-in account for this model; sign in on LMArena in the worker\'s browser',
  'session-access-denied': 'The evaluation session belongs to another LMArena identity; start a new conversation or re-capture the ids',
  'auth-expired': 'The LMArena session of the worker has expired; reload the LMArena tab to refresh it',
  unauthenticated: 'The worker has no valid LMArena session; open LMArena in the worker\'s browser and sign in or accept the terms',
  moderation: 'LMArena refused the content under its terms of use; change the prompt',
  'too-large': 'The request was too large for LMArena; send smaller attachments or a shorter prompt',
  'duplicate-ids': 'LMArena rejected the message ids as duplicates; retry the request',
  'bad-request': 'LMArena rejected the request as invalid; check the model and its options',
  'not-found': 'LMArena does not know this endpoint or session; start a new conversation or update the bridge',
  'route-not-allowed': 'LMArena no longer serves the legacy /api route; use the /nextjs-api prefix',
  moved: 'LMArena redirected the request; point the worker at arena.ai',
  'method-not-allowed': 'LMArena refused the HTTP method, usually after a redirect turned POST into GET; point the worker at arena.ai directly',
  'model-unavailable': 'The model is not available on LMArena right now; choose another model',
  'provider-error': 'The model\'s provider failed to answer; retry later or choose another model',
  'server-error': 'LMArena had a server error; retry later',
  truncated: 'The answer stream from LMArena ended before it finished; retry the request',
  'empty-stream': 'LMArena answered with an empty stream; retry the request',
  malformed: 'LMArena sent a record the bridge could not read; update the bridge if this persists',
};

/**
 * One English sentence saying what failed and what to do next, with upstream's own text and
 * status appended when they add information.
 *
 * @example describeArenaError({ kind: 'rate-limited', message: 'Too many requests', status: 429, retryAfterSeconds: 30 })
 * // 'LMArena rate-limited this browser identity; wait before retrying or add another worker (retry after 30 s; upstream 429: Too many requests).'
 */
export function describeArenaError(error: ArenaError): string {
  const details: string[] = [];
  if (error.retryAfterSeconds !== undefined) details.push(`retry after ${error.retryAfterSeconds} s`);
  if (error.location !== undefined) details.push(`location ${error.location}`);
  const upstream = error.message.replace(/\s+/g, ' ').trim();
  if (upstream !== '') details.push(error.status === undefined ? `upstream: ${upstream}` : `upstream ${error.status}: ${upstream}`);
  else if (error.status !== undefined) details.push(`upstream ${error.status}`);
  const suffix = details.length > 0 ? ` (${details.join('; ')})` : '';
  return `${DESCRIPTIONS[error.kind]}${suffix}.`;
}
