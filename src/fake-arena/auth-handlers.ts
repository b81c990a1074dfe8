import { z } from 'zod';
import { AUTH_COOKIE } from '../arena/constants.js';
import { checkRecaptcha } from './check-recaptcha.js';
import { cookie, readBody, send, sendJson } from './http-utils.js';
import { answerAtEdge } from './pages.js';
import type { RouteContext } from './route-context.js';
import { injectionHeader } from './route-context.js';

const signUpSchema = z.object({
  turnstileToken: z.string().min(1),
  recaptchaToken: z.string().min(1),
  provisionalUserId: z.uuid(),
});

async function readJson(context: RouteContext): Promise<unknown> {
  const raw = await readBody(context.request, 1024 * 1024);
  try {
    return JSON.parse(raw.bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * `POST /nextjs-api/sign-up` (§6.5): a new anonymous user bound to the provisional id, set as the
 * auth cookie. The Turnstile token is only checked for presence; the reCAPTCHA token must be a v3
 * `sign_up` token.
 */
export async function handleSignUp(context: RouteContext): Promise<void> {
  const { state, response } = context;
  if (context.request.method !== 'POST') return sendJson(response, 405, { error: 'Method Not Allowed' }, { allow: 'POST' });
  const body = await readJson(context);
  const injections = state.injections.take('sign-up', context.url.pathname, injectionHeader(context), undefined);
  if (answerAtEdge(context, injections)) return;
  const parsed = signUpSchema.safeParse(body);
  if (!parsed.success) return sendJson(response, 400, { error: 'Invalid request body' });
  const { provisionalUserId, recaptchaToken } = parsed.data;
  if (checkRecaptcha(state, { recaptchaV3Token: recaptchaToken }, ['sign_up'], { required: true, injections }) !== undefined) {
    return sendJson(response, 403, { error: 'recaptcha validation failed' });
  }
  if (injections.has('sign-up-conflict') || state.identities.isProvisionalIdBound(provisionalUserId)) {
    return sendJson(response, 400, { error: 'User already exists' });
  }
  const user = state.identities.createUser({ provisionalUserId });
  const issued = state.identities.issueSession(user);
  sendJson(response, 200, { success: true, user: { id: user.id } }, { 'set-cookie': cookie(AUTH_COOKIE, issued.cookieValue) });
}

/** `POST /login` (form): signs the browser in as that email and redirects to `/`. */
export async function handleLoginSubmit(context: RouteContext): Promise<void> {
  const raw = await readBody(context.request, 64 * 1024);
  const form = new URLSearchParams(raw.bytes.toString('utf8'));
  const email = form.get('email')?.trim() ?? '';
  const password = form.get('password') ?? '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email) || password === '') {
    return sendJson(context.response, 400, { error: 'Email and password are required' });
  }
  const { identities } = context.state;
  const user = identities.findByEmail(email) ?? identities.createUser({ email });
  const issued = identities.issueSession(user);
  send(context.response, 303, '', { location: '/', 'set-cookie': cookie(AUTH_COOKIE, issued.cookieValue) });
}

const refreshSchema = z.object({ refresh_token: z.string().min(1) });

/** Supabase-like `POST /auth/v1/token?grant_type=refresh_token` (§2.3 path 2). */
export async function handleTokenRefresh(context: RouteContext): Promise<void> {
  const { state, response, url, request } = context;
  if (request.method !== 'POST') return sendJson(response, 405, { error: 'Method Not Allowed' }, { allow: 'POST' });
  if (request.headers.apikey !== state.anonKey) return sendJson(response, 401, { message: 'Invalid API key' });
  if (url.searchParams.get('grant_type') !== 'refresh_token') {
    return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'Only refresh_token is supported' });
  }
  const parsed = refreshSchema.safeParse(await readJson(context));
  const issued = parsed.success ? state.identities.refresh(parsed.data.refresh_token) : undefined;
  if (issued === undefined) {
    return sendJson(response, 400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token: Refresh Token Not Found' });
  }
  sendJson(response, 200, issued.session);
}

const mintSchema = z.object({
  siteKey: z.string(),
  action: z.string().optional(),
  version: z.enum(['v3', 'v2']),
});

/** `POST /recaptcha/mint`: what the fake `grecaptcha` calls (Google's side, not LMArena's). */
export async function handleMint(context: RouteContext): Promise<void> {
  const { state, response } = context;
  const parsed = mintSchema.safeParse(await readJson(context));
  if (!parsed.success) return sendJson(response, 400, { error: 'Invalid mint request' });
  const { siteKey, action, version } = parsed.data;
  const known = version === 'v3' ? state.options.siteKeyV3 : state.options.siteKeyV2;
  if (siteKey !== known) return sendJson(response, 400, { error: `Invalid site key for ${version}: ${siteKey}` });
  sendJson(response, 200, { token: state.tokens.mint(version, siteKey, action) });
}
