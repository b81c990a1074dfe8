import { randomUUID } from 'node:crypto';
import { AUTH_COOKIE } from '../arena/constants.js';
import type { FakeArenaSnapshot } from './fake-arena-types.js';
import type { FakeUser } from './identity-store.js';
import type { FakeMessage, FakeSession } from './session-store.js';
import { evaluationChunkPath } from './site-chunks.js';
import type { FakeArenaState } from './state.js';
import type { MintTokenRequest } from './token-registry.js';

/** What `createIdentity` makes. */
export interface CreateIdentityOptions {
  /** A signed-in user with this email; anonymous when absent. */
  email?: string;
  /** Hand out a session that has already expired (to test refresh). @default false */
  expired?: boolean;
}

/** A user and a `Cookie` header that authenticates as them. */
export interface CreatedIdentity {
  userId: string;
  /** `arena-auth-prod-v1=<value>`, ready for a `Cookie` header. */
  cookie: string;
  /** The cookie value alone (`base64-…`). */
  cookieValue: string;
  refreshToken: string;
}

/** What `createSession` makes (for Gen A tests: a session to capture ids from). */
export interface CreateSessionOptions {
  /** Existing user id owning the session; a new anonymous user when absent. */
  owner?: string;
  /** @default the first echo model */
  modelId?: string;
  /** @default 'direct-battle' (what the 2026 site stores for single-model chats, §15.6) */
  mode?: string;
  /** @default [{ user: 'Hello', assistant: 'Hello! How can I help you today?' }] */
  turns?: readonly { user: string; assistant?: string }[];
}

/** A pre-created session: its ids and the owner's cookie. */
export interface CreatedSession {
  sessionId: string;
  ownerId: string;
  /** `arena-auth-prod-v1=<value>` of the owner. */
  cookie: string;
  /** The last user message id. */
  userMessageId: string;
  /** The last assistant message id (the one a Retry click targets). */
  assistantMessageId: string;
  messages: { id: string; role: FakeMessage['role'] }[];
}

/** Makes a user and a session cookie for them. */
export function createIdentity(state: FakeArenaState, options: CreateIdentityOptions = {}): CreatedIdentity {
  const user = options.email === undefined
    ? state.identities.createUser({ provisionalUserId: randomUUID() })
    : (state.identities.findByEmail(options.email) ?? state.identities.createUser({ email: options.email }));
  return identityFor(state, user, options.expired === true ? -60 : undefined);
}

function identityFor(state: FakeArenaState, user: FakeUser, expiresInSeconds?: number): CreatedIdentity {
  const issued = state.identities.issueSession(user, expiresInSeconds);
  return {
    userId: user.id,
    cookie: `${AUTH_COOKIE}=${issued.cookieValue}`,
    cookieValue: issued.cookieValue,
    refreshToken: String(issued.session.refresh_token),
  };
}

/** Stores a session as if the owner had chatted on the site. */
export function createSession(state: FakeArenaState, options: CreateSessionOptions = {}): CreatedSession {
  const owner = options.owner === undefined ? undefined : state.identities.users.get(options.owner);
  if (options.owner !== undefined && owner === undefined) throw new Error(`createSession: unknown owner ${options.owner}`);
  const identity = owner === undefined ? createIdentity(state) : identityFor(state, owner);
  const model = options.modelId ?? state.options.models.find((entry) => entry.behavior === 'echo')?.id ?? null;
  const turns = options.turns ?? [{ user: 'Hello', assistant: 'Hello! How can I help you today?' }];
  const messages: FakeMessage[] = [];
  for (const turn of turns) {
    const userMessage: FakeMessage = {
      id: randomUUID(), role: 'user', content: turn.user, participantPosition: null, modelId: null, attachments: [],
      parentMessageIds: messages.length === 0 ? [] : [messages.at(-1)?.id ?? ''], status: 'success',
    };
    messages.push(userMessage, {
      id: randomUUID(), role: 'assistant', content: turn.assistant ?? `Echo: ${turn.user}`, participantPosition: 'a', modelId: model,
      attachments: [], parentMessageIds: [userMessage.id], status: 'success',
    });
  }
  const session: FakeSession = {
    id: randomUUID(), ownerId: identity.userId, mode: options.mode ?? 'direct-battle', modality: 'chat',
    modelAId: model, modelBId: null, messages, createdAt: state.now(),
  };
  state.sessions.add(session);
  return {
    sessionId: session.id, ownerId: identity.userId, cookie: identity.cookie,
    userMessageId: messages.findLast((message) => message.role === 'user')?.id ?? '',
    assistantMessageId: messages.findLast((message) => message.role === 'assistant')?.id ?? '',
    messages: messages.map(({ id, role }) => ({ id, role })),
  };
}

/** Mints a reCAPTCHA token in-process, as the page's `grecaptcha` would. */
export function mintToken(state: FakeArenaState, request: MintTokenRequest = {}): string {
  const version = request.version ?? 'v3';
  const siteKey = request.siteKey ?? (version === 'v3' ? state.options.siteKeyV3 : state.options.siteKeyV2);
  return state.tokens.mint(version, siteKey, request.action ?? 'chat_submit');
}

/** The JSON-friendly summary behind `fake.state()` and `GET /__fake/state`. */
export function snapshot(state: FakeArenaState): FakeArenaSnapshot {
  return {
    url: state.url,
    challengeActive: state.challengeActive,
    injections: state.injections.pending(),
    actionIds: { ...state.actionIds },
    evaluationChunk: evaluationChunkPath(state),
    models: state.options.models.map(({ id, publicName }) => ({ id, publicName })),
    users: state.identities.users.size,
    sessions: [...state.sessions.sessions.values()].map(({ id, ownerId, mode, messages }) => ({ id, ownerId, mode, messages: messages.length })),
    requests: state.requests.length,
    accountFlags: state.accountFlags.list(),
  };
}
