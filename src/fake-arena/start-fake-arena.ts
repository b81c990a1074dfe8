import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerActionName } from '../arena/constants.js';
import { createIdentity, createSession, mintToken } from './fake-arena-api.js';
import type { CreatedIdentity, CreatedSession, CreateIdentityOptions, CreateSessionOptions } from './fake-arena-api.js';
import type { Injection, InjectionName } from './injections.js';
import { fakeModelSchema } from './models.js';
import type { FakeModelInput } from './models.js';
import { resolveOptions } from './options.js';
import type { FakeArenaOptions, ResolvedFakeArenaOptions } from './options.js';
import { route } from './router.js';
import type { FakeSession } from './session-store.js';
import { evaluationChunkPath } from './site-chunks.js';
import { FakeArenaState } from './state.js';
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
}

/** A running fake LMArena. */
export interface FakeArena {
  /** `http://<host>:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The options in force (after `setOptions`). */
  readonly options: ResolvedFakeArenaOptions;
  /** Stream requests received, oldest first; entries update when their response finishes. */
  readonly requests: readonly FakeRequestLogEntry[];
  /** Evaluation sessions by id (read-only view). */
  readonly sessions: ReadonlyMap<string, Readonly<FakeSession>>;
  /** Current server action ids by name. */
  readonly actionIds: Readonly<Record<ServerActionName, string>>;
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
  /** Back to the start: options, models, action ids, users, sessions, tokens, injections, request log. */
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
  /** A JSON-friendly summary of the fake's state. */
  state(): FakeArenaSnapshot;
}

/**
 * Starts the fake LMArena on `host:port` (127.0.0.1 and a free port by default).
 * @example
 * const fake = await startFakeArena({ pacing: { chunkDelayMs: 5 } });
 * fake.inject({ name: 'rate-limit' });
 * await fake.close();
 */
export async function startFakeArena(options: FakeArenaOptions = {}): Promise<FakeArena> {
  const initial = resolveOptions(options);
  const state = new FakeArenaState(initial);
  const initialActionIds = { ...state.actionIds };
  const sockets = new Set<Socket>();
  const holder: { fake?: FakeArena } = {};
  const server = createServer((request, response) => {
    route(state, holder.fake as FakeArena, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: `Fake arena failure: ${message}` }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(initial.port, initial.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : initial.port;
  const host = initial.host.includes(':') ? `[${initial.host}]` : initial.host;
  state.url = `http://${host}:${port}`;

  const fake: FakeArena = {
    url: state.url,
    port,
    get options() { return state.options; },
    get requests() { return state.requests; },
    get sessions() { return state.sessions.sessions; },
    get actionIds() { return state.actionIds; },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
    reset: () => {
      state.options = initial;
      state.reset();
      state.actionIds = { ...initialActionIds };
    },
    inject: (injection) => {
      for (const entry of Array.isArray(injection) ? injection : [injection]) state.injections.enqueue(entry);
    },
    setModels: (models) => {
      state.options = { ...state.options, models: models.map((model) => fakeModelSchema.parse(model)) };
    },
    rotateActionIds: () => ({ ...state.rotateActionIds() }),
    setOptions: (partial) => {
      state.options = resolveOptions(partial, state.options);
      if (partial.challengeOnStart === true) state.startChallenge();
      if (partial.challengeOnStart === false) state.challengeActive = false;
    },
    mintToken: (request) => mintToken(state, request),
    createIdentity: (identityOptions) => createIdentity(state, identityOptions),
    createSession: (sessionOptions) => createSession(state, sessionOptions),
    state: () => ({
      url: state.url,
      challengeActive: state.challengeActive,
      injections: state.injections.pending(),
      actionIds: { ...state.actionIds },
      evaluationChunk: evaluationChunkPath(state),
      models: state.options.models.map(({ id, publicName }) => ({ id, publicName })),
      users: state.identities.users.size,
      sessions: [...state.sessions.sessions.values()].map(({ id, ownerId, mode, messages }) => ({ id, ownerId, mode, messages: messages.length })),
      requests: state.requests.length,
    }),
  };
  holder.fake = fake;
  return fake;
}
