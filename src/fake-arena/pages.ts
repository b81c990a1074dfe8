import { renderChallengePage, hasClearance } from './challenge-page.js';
import { renderFlightScripts } from './flight-data.js';
import { escapeHtml, jsonForScript, send, sendHtml, sendJson, sendText } from './http-utils.js';
import type { InjectionName } from './injections.js';
import { toWireModel } from './models.js';
import { flightUser, resolvePageVisitor } from './page-identity.js';
import type { PageVisitor } from './page-identity.js';
import type { RouteContext } from './route-context.js';
import { canonicalLocation, injectionHeader } from './route-context.js';
import { renderSecurityVerification } from './security-verification-page.js';
import { SITE_APP_SCRIPT } from './site-app-script.js';
import { pageChunkPaths } from './site-chunks.js';
import type { FakeArenaState } from './state.js';

/**
 * Edge behaviour shared by pages and stream endpoints: the 301 of a domain move, injected server
 * errors, and the Cloudflare challenge. Returns true when it answered the request.
 */
export function answerAtEdge(context: RouteContext, injections: ReadonlySet<InjectionName>): boolean {
  const { state, response } = context;
  if (injections.has('domain-move')) {
    send(response, 301, '', { location: canonicalLocation(context) });
    return true;
  }
  for (const status of [500, 502, 504] as const) {
    if (injections.has(`server-error-${status}`)) {
      if (status === 500) sendJson(response, 500, { error: 'Internal Server Error' });
      else sendHtml(response, status, `<html><head><title>${status}</title></head><body><h1>${status} ${status === 502 ? 'Bad Gateway' : 'Gateway Timeout'}</h1></body></html>`);
      return true;
    }
  }
  const challengedNow = injections.has('challenge');
  if (challengedNow || (state.challengeActive && !hasClearance(state, context.cookies))) {
    sendHtml(response, 403, renderChallengePage(state, context.url.host), { 'cf-mitigated': 'challenge', 'cache-control': 'private, no-store' });
    return true;
  }
  return false;
}

const MODEL_PAGES = new Set(['/text/direct']);
const PLAIN_PAGES = new Set(['/', '/chat']);

/**
 * `GET` of a site page (§2.1, §7, §13.1). Returns false for paths that are not pages. A flagged
 * visitor's page carries the Security Verification modal (§15.4).
 */
export function handlePage(context: RouteContext): boolean {
  const { state, url, response } = context;
  const path = url.pathname;
  const isConversation = /^\/c\/[^/]+$/.test(path);
  if (!MODEL_PAGES.has(path) && !PLAIN_PAGES.has(path) && !isConversation) return false;
  const injections = state.injections.take('page', path, injectionHeader(context), undefined);
  if (injections.has('challenge')) state.startChallenge();
  if (answerAtEdge(context, injections)) return true;
  if (path === '/' && url.searchParams.get('mode') === 'direct') {
    send(response, 301, '', { location: '/text/direct' });
    return true;
  }
  const visitor = resolvePageVisitor(state, context.cookies);
  const headers = { 'set-cookie': visitor.setCookies, 'cache-control': 'private, no-cache' };
  if (isConversation) {
    const sessionId = decodeURIComponent(path.slice('/c/'.length));
    const session = state.sessions.get(sessionId);
    if (session === undefined || session.ownerId !== visitor.user.id) {
      sendHtml(response, 404, pageHtml(state, visitor, { title: 'Not found', models: false, body: '<h1>This conversation does not exist</h1>' }), headers);
      return true;
    }
    const data = {
      sessionId,
      siteKey: state.options.siteKeyV3,
      messages: session.messages.map(({ id, role, content }) => ({ id, role, content })),
    };
    const body = `<h1>Conversation</h1><ol id="messages"></ol><p id="retry-status" data-state="idle">idle</p>
<script id="fake-session" type="application/json">${jsonForScript(data)}</script>
<script>${SITE_APP_SCRIPT}</script>`;
    sendHtml(response, 200, pageHtml(state, visitor, { title: 'Conversation', models: true, modelAId: session.modelAId, body }), headers);
    return true;
  }
  const withModels = MODEL_PAGES.has(path) || !visitor.user.isAnonymous;
  const preselected = state.options.models.find((model) => model.publicName === url.searchParams.get('model_a'));
  const body = `<h1>${path === '/text/direct' ? 'Direct chat' : 'Arena'}</h1><p id="who">${escapeHtml(visitor.user.email ?? 'Anonymous visitor')}</p>`;
  sendHtml(response, 200, pageHtml(state, visitor, { title: 'Arena', models: withModels, modelAId: preselected?.id, body }), headers);
  return true;
}

interface PageParts {
  title: string;
  models: boolean;
  modelAId?: string | null | undefined;
  body: string;
}

function pageHtml(state: FakeArenaState, visitor: PageVisitor, parts: PageParts): string {
  const models = state.options.models;
  const chunks = pageChunkPaths(state);
  const flight = renderFlightScripts({
    buildId: state.buildId,
    evaluationChunks: chunks.slice(0, 1),
    models: parts.models ? models.map(toWireModel) : undefined,
    initialModelAId: parts.modelAId ?? models[0]?.id ?? null,
    user: flightUser(visitor.user),
    segments: ['', 'text', 'direct'],
  });
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${escapeHtml(parts.title)} | LMArena (Fake Arena)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="/recaptcha/enterprise.js?render=${state.options.siteKeyV3}" async></script>
${chunks.map((chunk) => `<script src="/_next/${chunk}" async></script>`).join('\n')}
</head><body><main id="app">${parts.body}</main>
${state.accountFlags.isFlagged(visitor.user.id) ? renderSecurityVerification(state.options.siteKeyV2) : ''}
${flight}
</body></html>`;
}

/** `GET /login`: a sign-in form (the fake accepts any email and non-empty password). */
export function handleLoginPage(context: RouteContext): void {
  sendHtml(context.response, 200, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in | LMArena (Fake Arena)</title></head>
<body><main><h1>Sign in</h1><form method="POST" action="/login">
<label>Email <input type="email" name="email" id="email" required></label>
<label>Password <input type="password" name="password" id="password" required></label>
<button type="submit" id="sign-in">Sign in</button></form></main></body></html>`);
}

/** Serves a 404 for unknown paths. */
export function handleNotFound(context: RouteContext): void {
  if (context.url.pathname.startsWith('/nextjs-api/')) sendJson(context.response, 404, { error: 'Not found' });
  else sendText(context.response, 404, 'Not found');
}
