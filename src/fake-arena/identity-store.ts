import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AUTH_COOKIE } from '../arena/constants.js';

/** A user of the fake: anonymous (bound to a provisional id) or signed in with an email. */
export interface FakeUser {
  id: string;
  email: string | null;
  isAnonymous: boolean;
  provisionalUserId: string | null;
  touConsentTimestamp: string | null;
}

/** A Supabase-like session (§2.3) and the cookie value that carries it. */
export interface IssuedSession {
  user: FakeUser;
  session: Record<string, unknown>;
  /** `base64-` + base64 JSON: the value of `arena-auth-prod-v1`. */
  cookieValue: string;
}

/** What the auth cookie of a request resolves to. */
export type AuthState =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'expired'; user: FakeUser; accessToken: string }
  | { kind: 'valid'; user: FakeUser; accessToken: string };

const cookieSessionSchema = z.object({ access_token: z.string(), user: z.object({ id: z.string() }) });

interface AccessRecord {
  userId: string;
  expiresAtMs: number;
}

const SUPABASE_ISSUER = 'https://fakearena.supabase.co/auth/v1';

/** Users, their access and refresh tokens; the fake's Supabase. */
export class IdentityStore {
  readonly users = new Map<string, FakeUser>();
  readonly #access = new Map<string, AccessRecord>();
  readonly #refresh = new Map<string, string>();
  readonly #now: () => number;
  readonly #lifetimeSeconds: () => number;

  constructor(now: () => number, lifetimeSeconds: () => number) {
    this.#now = now;
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  /** Creates a user; anonymous users are bound to a provisional id. */
  createUser(input: { email?: string | null; provisionalUserId?: string | null }): FakeUser {
    const email = input.email ?? null;
    const user: FakeUser = {
      id: randomUUID(),
      email,
      isAnonymous: email === null,
      provisionalUserId: input.provisionalUserId ?? null,
      touConsentTimestamp: email === null ? null : new Date(this.#now()).toISOString(),
    };
    this.users.set(user.id, user);
    return user;
  }

  findByEmail(email: string): FakeUser | undefined {
    return [...this.users.values()].find((user) => user.email === email);
  }

  isProvisionalIdBound(provisionalUserId: string): boolean {
    return [...this.users.values()].some((user) => user.provisionalUserId === provisionalUserId);
  }

  /** Issues a session for a user; `expiresInSeconds` may be negative to hand out an expired one. */
  issueSession(user: FakeUser, expiresInSeconds = this.#lifetimeSeconds()): IssuedSession {
    const nowSeconds = Math.floor(this.#now() / 1000);
    const expiresAt = nowSeconds + expiresInSeconds;
    const claims = {
      iss: SUPABASE_ISSUER, sub: user.id, aud: 'authenticated', role: 'authenticated', exp: expiresAt, iat: nowSeconds,
      email: user.email ?? '', is_anonymous: user.isAnonymous, session_id: randomUUID(),
      amr: [{ method: user.isAnonymous ? 'anonymous' : 'password', timestamp: nowSeconds }],
      user_metadata: { id: user.provisionalUserId },
    };
    const accessToken = [
      Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'fake', typ: 'JWT' })).toString('base64url'),
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      randomBytes(64).toString('base64url'),
    ].join('.');
    const refreshToken = randomBytes(9).toString('base64url');
    this.#access.set(accessToken, { userId: user.id, expiresAtMs: expiresAt * 1000 });
    this.#refresh.set(refreshToken, user.id);
    const iso = new Date(this.#now()).toISOString();
    const session = {
      access_token: accessToken, token_type: 'bearer', expires_in: expiresInSeconds, expires_at: expiresAt,
      refresh_token: refreshToken,
      user: {
        id: user.id, aud: 'authenticated', role: 'authenticated', email: user.email ?? '', phone: '',
        last_sign_in_at: iso, app_metadata: {}, user_metadata: { id: user.provisionalUserId },
        identities: [], created_at: iso, updated_at: iso, is_anonymous: user.isAnonymous,
      },
    };
    const cookieValue = `base64-${Buffer.from(JSON.stringify(session)).toString('base64').replace(/=+$/, '')}`;
    return { user, session, cookieValue };
  }

  /** Resolves the auth cookie (joining `.0`, `.1`, … chunks in numeric order, §2.2). */
  resolve(cookies: ReadonlyMap<string, string>): AuthState {
    let value = cookies.get(AUTH_COOKIE);
    if (value === undefined) {
      const parts: string[] = [];
      for (let index = 0; cookies.has(`${AUTH_COOKIE}.${index}`); index += 1) parts.push(cookies.get(`${AUTH_COOKIE}.${index}`) ?? '');
      if (parts.length === 0) return { kind: 'none' };
      value = parts.join('');
    }
    if (!value.startsWith('base64-')) return { kind: 'invalid' };
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(value.slice('base64-'.length), 'base64').toString('utf8'));
    } catch {
      return { kind: 'invalid' };
    }
    const parsed = cookieSessionSchema.safeParse(decoded);
    if (!parsed.success) return { kind: 'invalid' };
    const accessToken = parsed.data.access_token;
    const record = this.#access.get(accessToken);
    const user = record === undefined ? undefined : this.users.get(record.userId);
    if (record === undefined || user === undefined) return { kind: 'invalid' };
    if (this.#now() >= record.expiresAtMs) return { kind: 'expired', user, accessToken };
    return { kind: 'valid', user, accessToken };
  }

  /** Makes an access token expire now (the `expired-auth` injection). */
  expire(accessToken: string): void {
    const record = this.#access.get(accessToken);
    if (record !== undefined) record.expiresAtMs = Math.min(record.expiresAtMs, this.#now());
  }

  /** Exchanges a refresh token (single use) for a new session (§2.3 path 2). */
  refresh(refreshToken: string): IssuedSession | undefined {
    const userId = this.#refresh.get(refreshToken);
    const user = userId === undefined ? undefined : this.users.get(userId);
    if (user === undefined) return undefined;
    this.#refresh.delete(refreshToken);
    return this.issueSession(user);
  }

  clear(): void {
    this.users.clear();
    this.#access.clear();
    this.#refresh.clear();
  }
}
