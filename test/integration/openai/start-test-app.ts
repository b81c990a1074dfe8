/** Starts the real HTTP app on 127.0.0.1:0 around a FakeChatService, with an OpenAI SDK client. */
import { afterEach } from 'vitest';
import OpenAI from 'openai';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, type OpenAIDependencies } from '../../../src/openai/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
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

/** Builds and starts the app on `host`; `overrides` replace the test defaults. */
export async function startTestApp(overrides: Partial<OpenAIDependencies> = {}, apiKey = 'test-key', host = '127.0.0.1'): Promise<TestApp> {
  const fake = new FakeChatService();
  const app = await createHttpApp({
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
