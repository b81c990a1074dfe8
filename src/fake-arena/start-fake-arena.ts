import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS } from './account-flag-options.js';
import { createIdentity, createSession, mintToken, snapshot } from './fake-arena-api.js';
import type { FakeArena } from './fake-arena-types.js';
import { fakeModelSchema } from './models.js';
import { resolveOptions } from './options.js';
import type { FakeArenaOptions } from './options.js';
import { route } from './router.js';
import { FakeArenaState } from './state.js';

export type { FakeArena, FakeArenaSnapshot } from './fake-arena-types.js';

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
    flagAccount: (userId, seconds) => state.accountFlags.flag(userId, seconds ?? state.options.accountFlag?.holdSeconds ?? DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS),
    clearAccountFlag: (userId) => state.accountFlags.clear(userId),
    accountFlags: () => state.accountFlags.list(),
    state: () => snapshot(state),
  };
  holder.fake = fake;
  return fake;
}
