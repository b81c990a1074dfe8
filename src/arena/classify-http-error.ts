import { isChallengeText } from '../shared/cloudflare-challenge.js';
import { parseErrorBody } from './error-body.js';
import { parseRetryAfter } from './retry-after.js';
import type { ArenaError, ArenaErrorKind } from './types.js';

/** Input of {@link classifyHttpError}: the upstream status, headers (any case) and body text. */
export interface HttpErrorInput {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Clock for HTTP-date `Retry-After` values. @default Date.now() */
  now?: number;
}

const RECAPTCHA_PATTERN = /recaptcha|captcha|prompt failed/i;
const DUPLICATE_PATTERN = /duplicate|already exists|invalid[^.]*\bids?\b|invalid[^.]*uuid|\bids?\b[^.]*invalid/i;
const MISSING_AUTH_PATTERN = /(auth|cookie|session)[^.]*(missing|not found|required|absent)|(missing|no)[^.]*(auth|cookie)|unauthori[sz]ed/i;
/** §15.1: the live site refuses a mode value when a conversation starts. */
const MODE_REFUSED_PATTERN = /mode is not allowed when starting/i;
const ACCESS_DENIED_PATTERN = /does not have access to evaluation session/i;
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Turns a non-2xx stream-endpoint response (or a 2xx that is HTML instead of a stream) into one
 * {@link ArenaError} (§10). Reads the JSON body shapes of §10.2 and the `code` field; Cloudflare
 * pages anywhere become `challenge`; `Retry-After` is kept whatever the status (capped at 3600 s).
 */
export function classifyHttpError(input: HttpErrorInput): ArenaError {
  const { status } = input;
  const headers = lowerCaseKeys(input.headers);
  const parsed = parseErrorBody(input.body);
  const text = parsed.message;
  const error = (kind: ArenaErrorKind, message: string = text): ArenaError => {
    const result: ArenaError = { kind, message: message === '' ? `HTTP ${status} with an empty body` : message, status };
    if (parsed.code !== undefined) result.code = parsed.code;
    // The account flag (§15.4) sends `retry-after` with its 403 too: keep it whatever the status.
    if (retryAfter !== undefined) result.retryAfterSeconds = retryAfter;
    return result;
  };
  const retryAfter = parseRetryAfter(headers['retry-after'], input.now ?? Date.now());

  if (status === 429) return error('rate-limited');
  if (REDIRECTS.has(status)) {
    const result = error('moved', `Redirected (${status}) to ${headers.location ?? 'an unknown location'}`);
    if (headers.location !== undefined) result.location = headers.location;
    return result;
  }
  const html = (headers['content-type'] ?? '').toLowerCase().includes('text/html') || (!parsed.json && looksLikeHtml(input.body));
  if (isChallengeText(input.body)) return error('challenge', 'Cloudflare challenge page instead of an answer');
  // A page where a stream or JSON was expected: the edge (not the app) answered.
  if (html && (status < 300 || status === 403 || status === 503)) return error('challenge', `HTML page (status ${status}) instead of an answer`);
  if (status === 413 || /too large/i.test(text)) return error('too-large');

  if (parsed.code === 'LOGIN_GATE') return error('login-gate');

  switch (status) {
    case 400:
      if (RECAPTCHA_PATTERN.test(text)) return error('recaptcha-rejected');
      if (MODE_REFUSED_PATTERN.test(text)) return error('mode-not-allowed');
      return error(DUPLICATE_PATTERN.test(text) ? 'duplicate-ids' : 'bad-request');
    case 401:
      if (/login_gate/i.test(text)) return error('login-gate');
      if (ACCESS_DENIED_PATTERN.test(text)) return error('session-access-denied');
      if (RECAPTCHA_PATTERN.test(text)) return error('recaptcha-rejected');
      return error(/expired/i.test(text) ? 'auth-expired' : 'unauthenticated');
    case 403:
      if (RECAPTCHA_PATTERN.test(text)) return error('recaptcha-rejected');
      if (/route not allowed/i.test(text)) return error('route-not-allowed');
      if (ACCESS_DENIED_PATTERN.test(text)) return error('session-access-denied');
      return error('unauthenticated');
    case 404:
      return error('not-found');
    case 405:
      return error('method-not-allowed');
    case 422:
      return error('moderation');
    case 500:
      return error(MISSING_AUTH_PATTERN.test(text) ? 'unauthenticated' : 'server-error');
    default:
      break;
  }
  if (status >= 500) return error('server-error');
  if (status >= 400) return error('bad-request');
  // A 2xx that is neither a stream nor HTML: nothing usable came back.
  return error('malformed', text === '' ? `Status ${status} without a stream` : text);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

/**
 * True when the first non-blank characters of `text` open markup (`<!DOCTYPE`, `<html`, any tag):
 * a record line always starts with a side letter, so `<` can only be a page.
 */
function looksLikeHtml(text: string): boolean {
  return text.trimStart().startsWith('<');
}
