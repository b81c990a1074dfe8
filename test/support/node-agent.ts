/**
 * Runs the real in-page agent (createAgent from userscript/) in Node as a bridge worker: Node's
 * WebSocket (sending the arena Origin, as a browser would), Node's fetch with a cookie jar holding
 * one fake-arena identity, and a page whose grecaptcha mints tokens from the fake.
 */
import { createAgent, type Agent, type RecaptchaApi, type RecaptchaRenderParameters } from '../../userscript/src/index.js';
import { createNodeEnvironment, makePageState, type FakePage } from '../../userscript/src/test-support/node-environment.js';
import type { TestBridge } from './test-bridge.js';
import { waitFor } from './wait-for.js';

/** One fetch the agent made. */
export interface AgentFetch {
  method: string;
  url: string;
}

/** A running Node agent. */
export interface NodeAgent {
  agent: Agent;
  page: FakePage;
  /** Fake-arena user id of this agent's identity. */
  userId: string;
  /** Every fetch the agent made, in order. */
  readonly fetches: AgentFetch[];
  /** Stops the agent (its socket closes, its running jobs are abandoned). */
  stop(): void;
}

/** Options of {@link connectNodeAgent}. */
export interface NodeAgentOptions {
  /** Signed in as this email; anonymous when absent. @default 'agent@example.com' */
  email?: string | null;
  /** Use this existing fake-arena user (e.g. a session owner from `fake.createSession`). */
  identity?: { userId: string; cookie: string };
}

/** `new WebSocket(url)` that sends `Origin: origin`, as a page on that origin does. */
function webSocketFrom(origin: string): typeof WebSocket {
  // Node's WebSocket (undici) takes an init object with headers as its second argument.
  const NodeWebSocket = globalThis.WebSocket as unknown as new (url: string | URL, init: { headers: Record<string, string>; protocols?: string | string[] }) => WebSocket;
  class OriginWebSocket extends NodeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, { headers: { origin }, ...(protocols === undefined ? {} : { protocols }) });
    }
  }
  return OriginWebSocket as unknown as typeof WebSocket;
}

/** fetch with a cookie jar for `origin`, standing in for the browser's `credentials: 'include'`. */
function cookieFetch(origin: string, initialCookie: string, fetches: AgentFetch[]): typeof fetch {
  const jar = new Map<string, string>();
  const remember = (pair: string): void => {
    const index = pair.indexOf('=');
    if (index > 0) jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
  };
  remember(initialCookie);
  return async (input, init) => {
    const request = new Request(input, init);
    fetches.push({ method: request.method, url: request.url });
    if (new URL(request.url).origin !== origin) return fetch(request);
    const headers = new Headers(request.headers);
    headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new Request(request, { headers }));
    for (const line of response.headers.getSetCookie()) remember(line.split(';')[0] ?? '');
    return response;
  };
}

/** A `grecaptcha.enterprise` whose v3 and v2 tokens come from the fake's token registry. */
function fakeRecaptcha(harness: Pick<TestBridge, 'fake'>): RecaptchaApi {
  const widgets: RecaptchaRenderParameters[] = [];
  return {
    enterprise: {
      ready: (callback) => callback(),
      render: (_container, parameters) => widgets.push(parameters) - 1,
      execute: (keyOrWidget, options) => {
        if (typeof keyOrWidget === 'number') {
          const widget = widgets[keyOrWidget];
          widget?.callback(harness.fake.mintToken({ version: 'v2', siteKey: widget.sitekey }));
          return undefined;
        }
        return Promise.resolve(harness.fake.mintToken({ version: 'v3', siteKey: keyOrWidget, action: options?.action ?? 'chat_submit' }));
      },
    },
  };
}

/**
 * Starts an agent with its own fake-arena identity and resolves once the bridge's pool has it.
 * Call after `fake.reset()` (a reset forgets identities).
 */
export async function connectNodeAgent(harness: Pick<TestBridge, 'fake' | 'url' | 'bridge'>, options: NodeAgentOptions = {}): Promise<NodeAgent> {
  const { fake } = harness;
  const email = options.email === undefined ? 'agent@example.com' : options.email;
  const identity = options.identity ?? fake.createIdentity(email === null ? {} : { email });
  const fetches: AgentFetch[] = [];
  const { environment, page } = createNodeEnvironment({ bridgeUrl: `${harness.url.replace(/^http/, 'ws')}/ws/worker`, origin: fake.url });
  environment.settings = { ...environment.settings, secret: harness.bridge.pairingSecret, host: 'userscript' };
  environment.WebSocket = webSocketFrom(fake.url);
  environment.fetch = cookieFetch(fake.url, identity.cookie, fetches);
  page.state = makePageState(fake.url, {
    siteKey: fake.options.siteKeyV3,
    auth: email === null ? 'anonymous' : 'signed-in',
    email,
    identity: identity.userId,
  });
  page.recaptcha = fakeRecaptcha(harness);
  const agent = createAgent(environment);
  agent.start();
  await waitFor(() => agent.connected, 'the Node agent to join the bridge', 5_000);
  return { agent, page, userId: identity.userId, fetches, stop: () => agent.stop() };
}
