import Fastify, { type FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { createSilentLogger } from '../../../observability/logger.js';
import { bridgeToAgentSchema, type BridgeToAgentMessage, type JobRequest, type PageState } from '../../../shared/worker-protocol.js';
import type { JobEvent, JobStream, WorkerConnection, WorkerRegistry } from '../../types.js';
import { registerWorkerEndpoint, type WorkerEndpointOptions } from '../register-worker-endpoint.js';

/* Test doubles for the worker endpoint tests: a recording registry and a fake in-page agent. */

export const ORIGIN = 'https://arena.ai';
export const SECRET = 'pairing-secret-for-tests';
export const PAGE: PageState = {
  url: 'https://arena.ai/text/direct',
  origin: ORIGIN,
  title: 'Arena',
  challenge: false,
  recaptchaReady: true,
  siteKey: 'site-key',
  auth: 'anonymous',
  email: null,
  identity: null,
};
export const REQUEST: JobRequest = { method: 'POST', url: '/nextjs-api/stream/create-evaluation', headers: {}, body: { kind: 'json', value: { a: 1 } } };

/** Records what the transport reports; `waitFor` resolves when a matching report arrives. */
export class RecordingRegistry implements WorkerRegistry {
  readonly added: WorkerConnection[] = [];
  readonly removed: WorkerConnection[] = [];
  readonly pageChanges: PageState[] = [];
  readonly captured: Array<{ sessionId: string; messageId: string }> = [];
  #listeners: Array<() => void> = [];
  add(worker: WorkerConnection): void {
    this.added.push(worker);
    this.#notify();
  }
  remove(worker: WorkerConnection): void {
    this.removed.push(worker);
    this.#notify();
  }
  pageChanged(worker: WorkerConnection): void {
    this.pageChanges.push(worker.page);
    this.#notify();
  }
  idsCaptured(_worker: WorkerConnection, ids: { sessionId: string; messageId: string }): void {
    this.captured.push(ids);
    this.#notify();
  }
  recovering(): void {}
  waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('registry condition not met in time')), timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        resolve();
      };
      this.#listeners.push(check);
    });
  }
  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** A test double of the in-page agent: a real `ws` client that records what the bridge sends. */
export class FakeAgent {
  readonly socket: WebSocket;
  readonly received: BridgeToAgentMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #listeners: Array<() => void> = [];

  constructor(url: string, origin: string | undefined) {
    this.socket = new WebSocket(url, origin === undefined ? {} : { origin });
    this.socket.on('message', (data) => {
      this.received.push(bridgeToAgentSchema.parse(JSON.parse(String(data))));
      for (const listener of [...this.#listeners]) listener();
    });
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  hello(overrides: Record<string, unknown> = {}): void {
    this.send({ type: 'worker-hello', protocolVersion: 1, agentVersion: '1.0.0', host: 'userscript', secret: SECRET, capabilities: [], page: PAGE, ...overrides });
  }

  /** Resolves with the first received message of `type` at or after index `from`. */
  async waitFor<T extends BridgeToAgentMessage['type']>(type: T, from = 0, timeoutMs = 2000): Promise<Extract<BridgeToAgentMessage, { type: T }>> {
    const find = (): Extract<BridgeToAgentMessage, { type: T }> | undefined =>
      this.received.slice(from).find((message): message is Extract<BridgeToAgentMessage, { type: T }> => message.type === type);
    const found = find();
    if (found !== undefined) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        const match = find();
        if (match === undefined) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        resolve(match);
      };
      this.#listeners.push(check);
    });
  }

  count(type: BridgeToAgentMessage['type']): number {
    return this.received.filter((message) => message.type === type).length;
  }
}

const apps: FastifyInstance[] = [];
const agents: FakeAgent[] = [];

/** Closes every bridge and agent the harness started; call from `afterEach`. */
export async function stopAll(): Promise<void> {
  for (const agent of agents.splice(0)) agent.socket.terminate();
  for (const app of apps.splice(0)) await app.close();
}

export async function startBridge(overrides: Partial<WorkerEndpointOptions> = {}): Promise<{ registry: RecordingRegistry; url: string }> {
  const registry = new RecordingRegistry();
  const app = Fastify();
  apps.push(app);
  await registerWorkerEndpoint(app, {
    registry,
    logger: createSilentLogger(),
    pairingSecret: SECRET,
    allowedOrigins: [ORIGIN, 'https://lmarena.ai'],
    ...overrides,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { registry, url: address.replace('http://', 'ws://') };
}

/** Connects a fake agent; `origin: null` sends no Origin header. */
export async function connect(url: string, origin: string | null = ORIGIN, path = '/ws/worker'): Promise<FakeAgent> {
  const agent = new FakeAgent(`${url}${path}`, origin ?? undefined);
  agents.push(agent);
  await agent.opened();
  return agent;
}

export async function connectWorker(url: string, registry: RecordingRegistry): Promise<{ agent: FakeAgent; worker: WorkerConnection }> {
  const agent = await connect(url);
  const before = registry.added.length;
  agent.hello();
  await registry.waitFor(() => registry.added.length > before);
  const worker = registry.added.at(-1);
  if (worker === undefined) throw new Error('worker missing');
  return { agent, worker };
}

/** Reads the whole stream, returning its batches. */
export async function collect(stream: JobStream): Promise<JobEvent[][]> {
  const batches: JobEvent[][] = [];
  for await (const batch of stream) batches.push(batch);
  return batches;
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

