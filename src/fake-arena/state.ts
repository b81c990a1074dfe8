import { randomBytes } from 'node:crypto';
import { SERVER_ACTION_NAMES } from '../arena/constants.js';
import type { ServerActionName } from '../arena/constants.js';
import { AccountFlagStore } from './account-flags.js';
import { IdentityStore } from './identity-store.js';
import { InjectionController } from './injections.js';
import type { InjectionName } from './injections.js';
import { ObjectStore } from './object-store.js';
import type { ResolvedFakeArenaOptions } from './options.js';
import { SessionStore } from './session-store.js';
import { TokenRegistry } from './token-registry.js';

/** One received stream request, as the fake answered it. */
export interface FakeRequestLogEntry {
  method: string;
  /** The HTTP version the request came over: `1.1`, or `2.0` over TLS with HTTP/2. */
  httpVersion: string;
  /** Path with query. */
  path: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  /** The caller's user id, when the auth cookie resolved to one (even an expired one). */
  identity: string | null;
  /** HTTP status answered (200 for streams, even ones that failed in-band). */
  status: number;
  /** Injections that fired for this request. */
  injections: InjectionName[];
  /**
   * Refused by the account flag (§15.4): `tripped` raised the flag (the window filled up, or the
   * `account-flag` injection), `held` arrived while it was up (a probe during the hold); else null.
   */
  accountFlag: 'tripped' | 'held' | null;
  /** The client went away before the response finished. */
  aborted: boolean;
  /** The response ended (normally, dropped or aborted). */
  finished: boolean;
  startedAt: number;
  finishedAt: number | null;
}

interface RateWindow {
  startedAt: number;
  count: number;
}

/** Everything the fake remembers; `reset()` rebuilds what a test may have changed. */
export class FakeArenaState {
  options: ResolvedFakeArenaOptions;
  readonly tokens: TokenRegistry;
  readonly identities: IdentityStore;
  readonly sessions = new SessionStore();
  readonly injections = new InjectionController();
  readonly objects: ObjectStore;
  readonly accountFlags: AccountFlagStore;
  readonly requests: FakeRequestLogEntry[] = [];
  readonly rateWindows = new Map<string, RateWindow>();
  /** Clearance values handed out since the challenge (re)started. */
  readonly clearances = new Set<string>();
  challengeActive: boolean;
  actionIds: Record<ServerActionName, string>;
  readonly buildId = randomBytes(10).toString('base64url');
  /** The Supabase anon key published in the site chunk (§2.3 path 2). */
  readonly anonKey: string;
  /** Set once the server listens. */
  url = '';

  constructor(options: ResolvedFakeArenaOptions) {
    this.options = options;
    const now = (): number => this.options.now();
    this.tokens = new TokenRegistry(now, () => this.options.tokenLifetimeMs);
    this.identities = new IdentityStore(now, () => this.options.authLifetimeSeconds);
    this.objects = new ObjectStore(now);
    this.accountFlags = new AccountFlagStore(now);
    this.challengeActive = options.challengeOnStart;
    this.actionIds = newActionIds();
    const anonClaims = { iss: 'supabase', ref: 'fakearena', role: 'anon', iat: 1735689600, exp: 2051222400 };
    this.anonKey = [
      Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
      Buffer.from(JSON.stringify(anonClaims)).toString('base64url'),
      randomBytes(32).toString('base64url'),
    ].join('.');
  }

  now(): number {
    return this.options.now();
  }

  rotateActionIds(): Record<ServerActionName, string> {
    this.actionIds = newActionIds();
    return this.actionIds;
  }

  /** Starts a Cloudflare challenge: earlier clearances stop counting. */
  startChallenge(): void {
    this.challengeActive = true;
    this.clearances.clear();
  }

  /** Counts one stream request against the caller's budget; returns the header values. */
  countRequest(identityKey: string): { limit: number; remaining: number; reset: number; exceeded: boolean } {
    const { limit, windowSeconds } = this.options.rateLimit;
    const now = this.now();
    let window = this.rateWindows.get(identityKey);
    if (window === undefined || now >= window.startedAt + windowSeconds * 1000) {
      window = { startedAt: now, count: 0 };
      this.rateWindows.set(identityKey, window);
    }
    window.count += 1;
    const reset = Math.max(0, Math.ceil((window.startedAt + windowSeconds * 1000 - now) / 1000));
    return { limit, remaining: Math.max(0, limit - window.count), reset, exceeded: window.count > limit };
  }

  reset(): void {
    this.tokens.clear();
    this.identities.clear();
    this.sessions.clear();
    this.injections.clear();
    this.objects.clear();
    this.accountFlags.clearAll();
    this.requests.length = 0;
    this.rateWindows.clear();
    this.clearances.clear();
    this.challengeActive = this.options.challengeOnStart;
  }
}

function newActionIds(): Record<ServerActionName, string> {
  const entries = SERVER_ACTION_NAMES.map((name) => [name, randomBytes(21).toString('hex')] as const);
  return Object.fromEntries(entries) as Record<ServerActionName, string>;
}
