import type { ServerActionName } from '../arena/constants.js';
import type { AccountFlagInfo } from './account-flags.js';
import type { CreatedIdentity, CreatedSession, CreateIdentityOptions, CreateSessionOptions } from './fake-arena-api.js';
import type { Injection, InjectionName } from './injections.js';
import type { FakeModelInput } from './models.js';
import type { FakeArenaOptions, ResolvedFakeArenaOptions } from './options.js';
import type { FakeSession } from './session-store.js';
import type { FakeRequestLogEntry } from './state.js';
import type { MintTokenRequest } from './token-registry.js';

/** What `GET /__fake/state` and `fake.state()` report. */
export interface FakeArenaSnapshot {
  url: string;
  challengeActive: boolean;
  injections: { name: InjectionName; remaining: number; path?: string }[];
  actionIds: Record<ServerActionName, string>;
  evaluationChunk: string;
  models: { id: string; publicName: string }[];
  users: number;
  sessions: { id: string; ownerId: string; mode: string; messages: number }[];
  requests: number;
  /** Accounts flagged now (§15.4). */
  accountFlags: AccountFlagInfo[];
}

/** A running fake LMArena. */
export interface FakeArena {
  /** `http://<host>:<port>`, or `https://<host>:<port>` with the `tls` option. */
  readonly url: string;
  readonly port: number;
  /**
   * The PEM certificate served over TLS (the generated self-signed one for `tls: true`), for
   * clients to trust; undefined without `tls`.
   */
  readonly certificate: string | undefined;
  /** The options in force (after `setOptions`). */
  readonly options: ResolvedFakeArenaOptions;
  /** Stream requests received, oldest first; entries update when their response finishes. */
  readonly requests: readonly FakeRequestLogEntry[];
  /** Evaluation sessions by id (read-only view). */
  readonly sessions: ReadonlyMap<string, Readonly<FakeSession>>;
  /** Current server action ids by name. */
  readonly actionIds: Readonly<Record<ServerActionName, string>>;
  /** Stops listening and destroys every open socket and HTTP/2 session (open streams are cut). */
  close(): Promise<void>;
  /** Back to the start: options, models, action ids, users, sessions, tokens, injections, account flags, request log. */
  reset(): void;
  /** Queues failures for the next matching requests (§13.3). */
  inject(injection: Injection | Injection[]): void;
  /** Replaces the model list (pages, catalog, accepted ids). */
  setModels(models: readonly FakeModelInput[]): void;
  /** New server action ids (a new site build); the old ids answer 404 "Server action not found.". */
  rotateActionIds(): Record<ServerActionName, string>;
  /** Changes options at runtime; `challengeOnStart: true` starts a challenge now, `false` ends it. */
  setOptions(partial: Partial<FakeArenaOptions>): void;
  /** Mints a reCAPTCHA token, as the page's `grecaptcha` would. */
  mintToken(request?: MintTokenRequest): string;
  /** Creates a user and returns a `Cookie` header for them. */
  createIdentity(options?: CreateIdentityOptions): CreatedIdentity;
  /** Stores a conversation (e.g. for Gen A retry replays) and returns its ids and owner cookie. */
  createSession(options?: CreateSessionOptions): CreatedSession;
  /**
   * Flags an account (§15.4): its stream requests answer 403 (or 429) with `retry-after` until the
   * flag ends or the page's Security Verification is passed.
   * @param seconds hold; @default options.accountFlag.holdSeconds, else 1200
   */
  flagAccount(userId: string, seconds?: number): AccountFlagInfo;
  /** Lifts an account's flag; false when it had none. */
  clearAccountFlag(userId: string): boolean;
  /** Accounts flagged now, with when each flag ends and how many requests it refused since. */
  accountFlags(): AccountFlagInfo[];
  /** A JSON-friendly summary of the fake's state. */
  state(): FakeArenaSnapshot;
}
