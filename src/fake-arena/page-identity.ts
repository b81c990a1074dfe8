import { randomUUID } from 'node:crypto';
import { AUTH_COOKIE, PROVISIONAL_USER_COOKIE } from '../arena/constants.js';
import { cookie } from './http-utils.js';
import type { FakeUser } from './identity-store.js';
import type { FakeArenaState } from './state.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The visitor of a page and the cookies the page sets. */
export interface PageVisitor {
  user: FakeUser;
  setCookies: string[];
}

/**
 * Who is looking at a page. A first visit gets a `provisional_user_id` and an anonymous session;
 * an expired session is refreshed server-side with a new `Set-Cookie` (§2.3 path 1).
 */
export function resolvePageVisitor(state: FakeArenaState, cookies: ReadonlyMap<string, string>): PageVisitor {
  const auth = state.identities.resolve(cookies);
  if (auth.kind === 'valid') return { user: auth.user, setCookies: [] };
  if (auth.kind === 'expired') {
    const issued = state.identities.issueSession(auth.user);
    return { user: auth.user, setCookies: [cookie(AUTH_COOKIE, issued.cookieValue)] };
  }
  const given = cookies.get(PROVISIONAL_USER_COOKIE);
  const usable = given !== undefined && UUID.test(given) && !state.identities.isProvisionalIdBound(given);
  const provisionalUserId = usable ? given : randomUUID();
  const user = state.identities.createUser({ provisionalUserId });
  const issued = state.identities.issueSession(user);
  const setCookies = [cookie(AUTH_COOKIE, issued.cookieValue)];
  if (provisionalUserId !== given) setCookies.push(cookie(PROVISIONAL_USER_COOKIE, provisionalUserId));
  return { user, setCookies };
}

/** The `user` object of the flight data (§7). */
export function flightUser(user: FakeUser): Record<string, unknown> {
  if (user.isAnonymous) return { id: user.id, email: null, touConsentTimestamp: user.touConsentTimestamp, isAnonymous: true };
  return { id: user.id, email: user.email, touConsentTimestamp: user.touConsentTimestamp, isAnonymous: false };
}
