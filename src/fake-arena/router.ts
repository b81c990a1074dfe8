import { LEGACY_STREAM_PREFIX, STREAM_PREFIX } from '../arena/constants.js';
import { handleAdmin } from './admin-handlers.js';
import { handleLoginSubmit, handleMint, handleSignUp, handleTokenRefresh } from './auth-handlers.js';
import { handleEvaluation } from './evaluation-handler.js';
import type { FakeRequest, FakeResponse } from './http-exchange.js';
import { requestHost } from './http-exchange.js';
import { parseCookies, requestOrigin, send, sendJson } from './http-utils.js';
import { buildModelCatalog } from './models.js';
import { handleLoginPage, handleNotFound, handlePage } from './pages.js';
import { renderRecaptchaScript } from './recaptcha-script.js';
import { handleRetry } from './retry-handler.js';
import type { RouteContext } from './route-context.js';
import { canonicalLocation } from './route-context.js';
import { SECURITY_VERIFICATION_PATH } from './security-verification-page.js';
import { handleSecurityVerification } from './security-verification-handler.js';
import { handleServerAction, isServerActionTarget } from './server-actions.js';
import { renderChunk } from './site-chunks.js';
import type { FakeArena } from './fake-arena-types.js';
import type { FakeArenaState } from './state.js';
import { handleMedia, handleStorage } from './storage-handlers.js';

const STREAM_ROUTE = /^(\/nextjs-api\/stream|\/api\/stream)\/(?:(create-evaluation)|post-to-evaluation\/([^/]+)|retry-evaluation-session-message\/([^/]+)\/messages\/([^/]+))$/;

/** Dispatches one request; every route of the fake is listed here, in precedence order. */
export async function route(state: FakeArenaState, fake: FakeArena, request: FakeRequest, response: FakeResponse): Promise<void> {
  const origin = requestOrigin(request, state.url);
  const url = new URL(request.url ?? '/', origin);
  const context: RouteContext = { state, request, response, url, cookies: parseCookies(request.headers.cookie), origin };
  const path = url.pathname;
  const method = request.method ?? 'GET';
  if (path.startsWith('/__fake/')) return handleAdmin(context, fake);
  if ((requestHost(request) ?? '').toLowerCase().startsWith('lmarena.')) return send(response, 301, '', { location: canonicalLocation(context) });
  if (path === '/recaptcha/enterprise.js' || path === '/recaptcha/api.js') {
    return send(response, 200, renderRecaptchaScript(state.options.siteKeyV2), { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
  }
  if (path === '/recaptcha/mint' && method === 'POST') return handleMint(context);
  if (path.startsWith('/_next/static/chunks/') && method === 'GET') {
    const chunk = renderChunk(state, path.slice('/_next/'.length));
    if (chunk === undefined) return handleNotFound(context);
    return send(response, 200, chunk, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
  }
  if (handleMedia(context)) return;
  if (await handleStorage(context)) return;
  const stream = STREAM_ROUTE.exec(path);
  if (stream !== null) {
    const prefix = stream[1] === LEGACY_STREAM_PREFIX ? LEGACY_STREAM_PREFIX : STREAM_PREFIX;
    const decode = (value: string | undefined): string => decodeURIComponent(value ?? '');
    if (stream[2] !== undefined) return handleEvaluation(context, prefix, undefined);
    if (stream[3] !== undefined) return handleEvaluation(context, prefix, decode(stream[3]));
    return handleRetry(context, prefix, decode(stream[4]), decode(stream[5]));
  }
  if (path === '/nextjs-api/model-catalog' || (path === '/api/model-catalog' && state.options.legacyRoutes === 'allow')) {
    if (method !== 'GET') return sendJson(response, 405, { error: 'Method Not Allowed' }, { allow: 'GET' });
    return sendJson(response, 200, buildModelCatalog(state.options.models), { 'cache-control': 'public, max-age=60' });
  }
  if (path.startsWith('/api/')) return sendJson(response, 403, { error: 'Route not allowed' });
  if (path === '/nextjs-api/sign-up') return handleSignUp(context);
  if (path === SECURITY_VERIFICATION_PATH) return handleSecurityVerification(context);
  if (path === '/auth/v1/token') return handleTokenRefresh(context);
  if (path === '/login') return method === 'POST' ? handleLoginSubmit(context) : handleLoginPage(context);
  if (isServerActionTarget(context)) return handleServerAction(context);
  if ((method === 'GET' || method === 'HEAD') && handlePage(context)) return;
  handleNotFound(context);
}
