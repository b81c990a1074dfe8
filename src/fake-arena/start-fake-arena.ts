import { DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS } from './account-flag-options.js';
import { createIdentity, createSession, mintToken, snapshot } from './fake-arena-api.js';
import { listen } from './fake-arena-server.js';
import type { FakeArena } from './fake-arena-types.js';
import { dropConnection, writeHead } from './http-exchange.js';
import { fakeModelSchema } from './models.js';
import { resolveOptions } from './options.js';
import type { FakeArenaOptions } from './options.js';
import { route } from './router.js';
import { FakeArenaState } from './state.js';
import { resolveTlsCredentials } from './tls-certificate.js';

export type { FakeArena, FakeArenaSnapshot } from './fake-arena-types.js';

/**
 * Starts the fake LMArena on `host:port` (127.0.0.1 and a free port by default); with `tls`, over
 * HTTPS with HTTP/2 (and HTTP/1.1 for clients that do not offer h2).
 * @example
 * const fake = await startFakeArena({ pacing: { chunkDelayMs: 5 } });
 * fake.inject({ name: 'rate-limit' });
 * await fake.close();
 * @example
 * const fake = await startFakeArena({ tls: true }); // https://127.0.0.1:<port>, self-signed
 * const agent = new undici.Agent({ connect: { ca: fake.certificate } });
 */
export async function startFakeArena(options: FakeArenaOptions = {}): Promise<FakeArena> {
  const initial = resolveOptions(options);
  const state = new FakeArenaState(initial);
  const initialActionIds = { ...state.actionIds };
  const holder: { fake?: FakeArena } = {};
  const credentials = await resolveTlsCredentials(options.tls);
  const server = await listen(initial.host, initial.port, credentials, (request, response) => {
    route(state, holder.fake as FakeArena, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        dropConnection(response);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      writeHead(response, 500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: `Fake arena failure: ${message}` }));
    });
  });
  const port = server.port;
  const host = initial.host.includes(':') ? `[${initial.host}]` : initial.host;
  state.url = `${credentials === undefined ? 'http' : 'https'}://${host}:${port}`;

  const fake: FakeArena = {
    url: state.url,
    port,
    certificate: credentials?.cert,
    get options() { return state.options; },
    get requests() { return state.requests; },
    get sessions() { return state.sessions.sessions; },
    get actionIds() { return state.actionIds; },
    close: () => server.close(),
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
