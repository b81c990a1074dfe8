import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, x-api-key';
const EXPOSED_HEADERS = 'retry-after, x-request-id, x-bridge-warnings';

/**
 * Builds an `onRequest` hook for CORS that reflects only the listed origins (no wildcard) and
 * answers their preflight `OPTIONS` requests with 204. Other origins get no CORS headers, so
 * browsers block them. Register it only when `origins` is non-empty: CORS is off by default.
 */
export function createCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return async function cors(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const origin = request.headers.origin;
    if (typeof origin !== 'string') return undefined;
    reply.header('vary', 'origin');
    if (!allowed.has(origin)) return undefined;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    const requestedMethod = request.headers['access-control-request-method'];
    if (request.method !== 'OPTIONS' || requestedMethod === undefined) return undefined;
    const requestedHeaders = request.headers['access-control-request-headers'];
    reply.header('access-control-allow-methods', ALLOWED_METHODS);
    reply.header('access-control-allow-headers', typeof requestedHeaders === 'string' && /^[\w\s,-]*$/.test(requestedHeaders) ? requestedHeaders : DEFAULT_ALLOWED_HEADERS);
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  };
}
