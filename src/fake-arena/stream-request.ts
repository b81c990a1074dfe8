import type { OutgoingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { INLINE_ATTACHMENT_LIMIT_BYTES, LEGACY_STREAM_PREFIX } from '../arena/constants.js';
import { checkAccountFlag } from './account-flag-check.js';
import { flushHeaders, writeHead } from './http-exchange.js';
import { readBody, sendJson } from './http-utils.js';
import type { FakeUser } from './identity-store.js';
import type { InjectionName } from './injections.js';
import { answerAtEdge } from './pages.js';
import type { RouteContext } from './route-context.js';
import { injectionHeader } from './route-context.js';
import type { FakeRequestLogEntry } from './state.js';
import { promptOf } from './stream-bodies.js';
import type { StreamPlan } from './stream-writer.js';
import { writeStreamPlan } from './stream-writer.js';

/** A stream request that passed the edge, size, rate-limit and auth checks. */
export interface StreamCall {
  context: RouteContext;
  entry: FakeRequestLogEntry;
  injections: Set<InjectionName>;
  body: unknown;
  user: FakeUser;
  matchedPath: string;
  rate: { limit: number; remaining: number; reset: number };
}

/** Answers a stream request with a JSON error and records the status. */
export function rejectCall(context: RouteContext, entry: FakeRequestLogEntry, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  entry.status = status;
  sendJson(context.response, status, body, headers);
  finishEntry(context, entry);
}

function finishEntry(context: RouteContext, entry: FakeRequestLogEntry): void {
  entry.finished = true;
  entry.finishedAt = context.state.now();
}

/**
 * The budget headers: `ratelimit: limit=N;w=S` as the live site sends it (§15.5), the older
 * `ratelimit-policy: N;w=S` (§10.1), and what is left in `ratelimit-remaining` / `ratelimit-reset`.
 */
function rateHeaders(call: Pick<StreamCall, 'rate'>, windowSeconds: number): OutgoingHttpHeaders {
  const { limit, remaining, reset } = call.rate;
  return {
    ratelimit: `limit=${limit};w=${windowSeconds}`,
    'ratelimit-policy': `${limit};w=${windowSeconds}`,
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(reset),
  };
}

/**
 * The part of every stream endpoint that comes before the endpoint's own logic, in the order the
 * edge and the app apply them: method, legacy prefix, Cloudflare, rate limit, size, auth, and
 * the account flag (§15.4).
 * Returns undefined when it already answered.
 */
export async function beginStreamCall(context: RouteContext, allowedMethod: 'POST' | 'PUT', matchedPath: string): Promise<StreamCall | undefined> {
  const { state, request, response, url } = context;
  if (request.method !== allowedMethod) {
    sendJson(response, 405, { error: 'Method Not Allowed' }, { allow: allowedMethod });
    return undefined;
  }
  const raw = await readBody(request, INLINE_ATTACHMENT_LIMIT_BYTES);
  let body: unknown;
  try {
    body = raw.tooLarge ? undefined : JSON.parse(raw.bytes.toString('utf8'));
  } catch {
    body = undefined;
  }
  const auth = state.identities.resolve(context.cookies);
  const entry: FakeRequestLogEntry = {
    method: request.method ?? allowedMethod, httpVersion: request.httpVersion, path: `${url.pathname}${url.search}`, body,
    identity: auth.kind === 'valid' || auth.kind === 'expired' ? auth.user.id : null,
    status: 0, injections: [], accountFlag: null, aborted: false, finished: false, startedAt: state.now(), finishedAt: null,
  };
  state.requests.push(entry);
  const injections = state.injections.take('stream', url.pathname, injectionHeader(context), promptOf(body));
  entry.injections = [...injections];
  const legacy = url.pathname.startsWith(`${LEGACY_STREAM_PREFIX}/`) && state.options.legacyRoutes === 'forbidden';
  if (legacy || injections.has('legacy-prefix')) {
    rejectCall(context, entry, 403, { error: 'Route not allowed' });
    return undefined;
  }
  if (answerAtEdge(context, injections)) {
    entry.status = response.statusCode;
    finishEntry(context, entry);
    return undefined;
  }
  const identityKey = entry.identity ?? `address:${request.socket.remoteAddress ?? 'unknown'}`;
  const counted = state.countRequest(identityKey);
  const rate = { limit: counted.limit, remaining: counted.remaining, reset: counted.reset };
  if (counted.exceeded || injections.has('rate-limit')) {
    const retryAfter = injections.has('rate-limit') ? state.options.retryAfterSeconds : Math.max(1, counted.reset);
    const headers = { ...rateHeaders({ rate: { ...rate, remaining: 0 } }, state.options.rateLimit.windowSeconds), 'retry-after': String(retryAfter) };
    rejectCall(context, entry, 429, { error: 'Too many requests' }, headers);
    return undefined;
  }
  if (raw.tooLarge || injections.has('too-large')) {
    rejectCall(context, entry, 413, { error: 'Request body too large' });
    return undefined;
  }
  if (auth.kind === 'none' || auth.kind === 'invalid' || injections.has('no-auth')) {
    rejectCall(context, entry, 401, { error: 'Unauthorized' });
    return undefined;
  }
  if (auth.kind === 'expired' || injections.has('expired-auth')) {
    state.identities.expire(auth.accessToken);
    rejectCall(context, entry, 401, { error: 'Session expired' });
    return undefined;
  }
  const flagged = checkAccountFlag(state, entry, auth.user.id, injections, body);
  if (flagged !== undefined) {
    rejectCall(context, entry, flagged.status, flagged.body, flagged.headers);
    return undefined;
  }
  return { context, entry, injections, body, user: auth.user, matchedPath, rate };
}

/** Writes the §2.6 stream with the success headers of §2.4, and records aborts. */
export async function streamReply(call: StreamCall, plan: StreamPlan): Promise<void> {
  const { context, entry } = call;
  const { response, state } = context;
  entry.status = 200;
  writeHead(response, 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'access-control-allow-origin': '*',
    ...rateHeaders(call, state.options.rateLimit.windowSeconds),
    'x-matched-path': call.matchedPath,
    'x-request-id': randomUUID(),
    vary: 'RSC, Next-Router-State-Tree, Next-Router-Prefetch',
  });
  flushHeaders(response);
  const outcome = await writeStreamPlan(response, plan, state.options.pacing);
  entry.aborted = outcome === 'aborted';
  finishEntry(context, entry);
}
