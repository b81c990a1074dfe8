/** Starts the real HTTP app on 127.0.0.1:0 around a FakeChatService, with an OpenAI SDK client. */
import { afterEach } from 'vitest';
import OpenAI from 'openai';
import type { FastifyInstance } from 'fastify';
import type { BridgeEvents } from '../../../src/observability/bridge-events.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import type { BridgeMetrics } from '../../../src/observability/metrics.js';
import {
  createHttpApp,
  registerChatCompletionsRoute,
  registerEventsRoute,
  registerHealthRoute,
  registerImagesRoute,
  registerMetricsRoute,
  registerModelsRoute,
  type HttpAppOptions,
  type OpenAIDependencies,
} from '../../../src/openai/index.js';
import { FakeChatService, FakeModelDirectory } from './fake-chat-service.js';

/** A running app for one test. */
export interface TestApp {
  app: FastifyInstance;
  fake: FakeChatService;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** An SDK client (no retries, so errors surface at once). */
  client: OpenAI;
  close(): Promise<void>;
}

/** The app's options, the OpenAI routes' dependencies, the operations routes' parts and any extra routes. */
export interface TestAppOptions extends Omit<HttpAppOptions, 'metrics'>, OpenAIDependencies {
  metrics?: Pick<BridgeMetrics, 'httpRequest' | 'render'>;
  events?: BridgeEvents;
  eventsQueueLimit?: number;
  /** Registered after the OpenAI routes, as the composition root registers the bridge's others. */
  extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
}

/** Builds and starts the app on `host`, with the OpenAI routes the bridge has; `overrides` replace the test defaults. */
export async function startTestApp(overrides: Partial<TestAppOptions> = {}, apiKey = 'test-key', host = '127.0.0.1'): Promise<TestApp> {
  const fake = new FakeChatService();
  const options: TestAppOptions = {
    chat: fake,
    models: new FakeModelDirectory(),
    logger: createSilentLogger(),
    health: () => ({ workers: 1 }),
    apiKeys: [],
    corsOrigins: [],
    maxBodyBytes: 1024 * 1024,
    pingIntervalMs: 0,
    headersGraceMs: 200,
    version: '9.9.9-test',
    ...overrides,
  };
  const app = await createHttpApp(options, async (routes, scope) => {
    registerHealthRoute(routes, options, scope.startedAt);
    registerModelsRoute(routes, options, scope.startedAt);
    registerChatCompletionsRoute(routes, options, scope.inFlight);
    registerImagesRoute(routes, options, scope.inFlight);
    const { metrics, events } = options;
    if (metrics) registerMetricsRoute(routes, () => metrics.render());
    if (events) registerEventsRoute(routes, { events, pingIntervalMs: options.pingIntervalMs, queueLimit: options.eventsQueueLimit });
    await options.extraRoutes?.(routes);
  });
  const address = await app.listen({ host, port: 0 });
  const origin = address.replace('localhost', '127.0.0.1');
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });
  return { app, fake, origin, client, close: () => app.close() };
}

/** Posts JSON with fetch and returns status, headers and the raw text. */
export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * For a test file: returns a `start` that runs {@link startTestApp} and registers the app to be
 * closed after each test.
 */
export function useTestApp(): (...args: Parameters<typeof startTestApp>) => Promise<TestApp> {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  return async (...args) => {
    running = await startTestApp(...args);
    return running;
  };
}
