import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../core/errors/index.js';
import { endSocketAfterReply } from './end-socket-after-reply.js';

/**
 * True when a request target has a `%` not followed by two hex digits, or escapes that do not
 * decode as UTF-8 (`%C0%AE`), in its path or query.
 * @example hasBadUrlEscape('/v1/models?q=%zz') // true
 */
export function hasBadUrlEscape(url: string): boolean {
  if (!url.includes('%')) return false;
  try {
    decodeURIComponent(url);
    return false;
  } catch {
    return true;
  }
}

/**
 * `onRequest` hook answering 400 `malformed_request` for a bad %-escape in the URL. Fastify's
 * router refuses bad escapes in the path (`frameworkErrors`) but keeps a query's bad escapes as
 * literal text, so a route would see `%zz` as a value; this refuses them before any route runs.
 */
export async function rejectBadUrlEscapes(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!hasBadUrlEscape(request.url)) return;
  endSocketAfterReply(request, reply);
  throw badUrlEscapeError();
}

/** The 400 `malformed_request` for a URL with a bad %-escape; the connection is closed after it. */
export function badUrlEscapeError(cause?: unknown): InvalidRequestError {
  return new InvalidRequestError(
    'The request URL has a bad %-escape (% not followed by two hex digits, or escapes that are not UTF-8); percent-encode the URL.',
    { code: 'malformed_request', headers: { connection: 'close' }, ...(cause === undefined ? {} : { cause }) },
  );
}
