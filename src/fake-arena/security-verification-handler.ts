import { z } from 'zod';
import { RECAPTCHA_FAILED } from './check-recaptcha.js';
import { readBody, sendJson } from './http-utils.js';
import type { RouteContext } from './route-context.js';

const verificationSchema = z.object({ recaptchaV2Token: z.string().min(1) });

/**
 * `POST /nextjs-api/security-verification` `{"recaptchaV2Token"}`: the fake's stand-in for however
 * the live site clears an account flag once its modal's v2 check is passed (§15.4). A valid v2
 * token clears the flag of the caller's account: 200 `{"success":true,"cleared":<had a flag>}`.
 */
export async function handleSecurityVerification(context: RouteContext): Promise<void> {
  const { state, request, response } = context;
  if (request.method !== 'POST') return sendJson(response, 405, { error: 'Method Not Allowed' }, { allow: 'POST' });
  const raw = await readBody(request, 64 * 1024);
  const auth = state.identities.resolve(context.cookies);
  if (auth.kind === 'expired') return sendJson(response, 401, { error: 'Session expired' });
  if (auth.kind !== 'valid') return sendJson(response, 401, { error: 'Unauthorized' });
  let body: unknown;
  try {
    body = JSON.parse(raw.bytes.toString('utf8'));
  } catch {
    body = undefined;
  }
  const parsed = verificationSchema.safeParse(body);
  if (!parsed.success) return sendJson(response, 400, { error: 'Invalid request body' });
  const rejection = state.tokens.verify(parsed.data.recaptchaV2Token, { version: 'v2', actions: [], siteKey: state.options.siteKeyV2 });
  if (rejection !== undefined) return sendJson(response, 403, RECAPTCHA_FAILED);
  sendJson(response, 200, { success: true, cleared: state.accountFlags.clear(auth.user.id) });
}
