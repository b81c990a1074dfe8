import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError } from '../core/errors/index.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function presentedKey(request: FastifyRequest, queryKeyPaths: ReadonlySet<string>, path: string): string | undefined {
  if (queryKeyPaths.has(path)) {
    const key = (request.query as { key?: unknown } | undefined)?.key;
    if (typeof key === 'string' && key !== '') return key;
  }
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1] !== undefined) return match[1].trim();
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey.trim() : undefined;
}

/** Options for {@link createAuthenticate}. */
export interface AuthenticateOptions {
  /** Accepted API keys; empty disables authentication. */
  apiKeys: readonly string[];
  /**
   * Exact paths (query ignored) that skip API-key checks because they authenticate otherwise, e.g.
   * the worker WebSocket and the userscript download (pairing secret). @default []
   */
  publicPaths?: readonly string[];
  /**
   * Exact paths where the key may also come as `?key=<key>`, for links a browser opens directly
   * (installing the userscript). @default []
   */
  queryKeyPaths?: readonly string[];
}

/**
 * Builds an `onRequest` hook that requires `Authorization: Bearer <key>` or `x-api-key: <key>`.
 * Keys are compared as SHA-256 digests with `timingSafeEqual`, against every configured key, so
 * timing reveals neither the key nor which one matched. CORS preflights pass (browsers send them
 * without credentials); routes may also opt out with `config: { public: true }`.
 * @example app.addHook('onRequest', createAuthenticate({ apiKeys: ['sk-local'] }))
 */
export function createAuthenticate(options: AuthenticateOptions) {
  const keys = options.apiKeys.map(digest);
  const publicPaths = new Set(options.publicPaths ?? []);
  const queryKeyPaths = new Set(options.queryKeyPaths ?? []);
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (keys.length === 0 || request.method === 'OPTIONS') return;
    const path = request.url.split('?', 1)[0] ?? '';
    if (publicPaths.has(path)) return;
    if ((request.routeOptions.config as { public?: unknown } | undefined)?.public === true) return;
    const key = presentedKey(request, queryKeyPaths, path);
    if (key === undefined) {
      throw new AuthenticationError('Missing API key; send it as "Authorization: Bearer <key>" or "x-api-key: <key>" (the key is set with api_key in config.jsonc, --api-key or BRIDGE_API_KEY).');
    }
    const presented = digest(key);
    let matched = false;
    for (const candidate of keys) matched = timingSafeEqual(presented, candidate) || matched;
    if (!matched) throw new AuthenticationError('Invalid API key; send the key set with api_key in config.jsonc, --api-key or BRIDGE_API_KEY.');
  };
}
