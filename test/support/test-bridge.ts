/**
 * Starts the real bridge (startBridge, the composition root) against a fake LMArena, on 127.0.0.1
 * port 0 with a temporary data dir, and hands out official `openai` SDK clients for it.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import type { BridgeConfig } from '../../src/config/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { startFakeArena, type FakeArena, type FakeArenaOptions } from '../../src/fake-arena/index.js';
import { createSilentLogger } from '../../src/observability/logger.js';
import { startBridge, type RunningBridge } from '../../src/server.js';
import { createTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

/** Sections of the bridge configuration a test may override (each merged over the test defaults). */
export interface BridgeOverrides {
  server?: Partial<BridgeConfig['server']>;
  arena?: Partial<BridgeConfig['arena']>;
  capturedIds?: Partial<BridgeConfig['capturedIds']>;
  workers?: Partial<BridgeConfig['workers']>;
  accounts?: Partial<BridgeConfig['accounts']>;
  chat?: Partial<BridgeConfig['chat']>;
  endpointMap?: BridgeConfig['endpointMap'];
  models?: BridgeConfig['models'];
}

const healthSchema = z.object({
  status: z.string(),
  workers: z.object({
    count: z.number(),
    items: z.array(z.object({ id: z.string(), kind: z.string(), activeJobs: z.number(), held: z.string().nullable(), url: z.string() })),
  }),
  models: z.object({ live: z.number(), lastError: z.string().nullable() }),
});

/** What `GET /health` reports (the parts the tests read). */
export type BridgeHealth = z.infer<typeof healthSchema>;

/** Options of {@link startTestBridge}. */
export interface TestBridgeOptions {
  fake?: FakeArenaOptions;
  /** Configuration overrides, or a function building them from the started fake (e.g. Gen A ids). */
  bridge?: BridgeOverrides | ((fake: FakeArena) => BridgeOverrides);
}

/** A fake LMArena and a bridge pointed at it. */
export interface TestBridge {
  fake: FakeArena;
  /** The running bridge (a new one after {@link TestBridge.restartBridge}). */
  readonly bridge: RunningBridge;
  /** `http://127.0.0.1:<port>` of the bridge. */
  readonly url: string;
  /** Stops the bridge and starts a new one on the same data directory and fake (workers must reconnect). */
  restartBridge(): Promise<void>;
  config: BridgeConfig;
  /** An SDK client with no retries; `apiKey` defaults to the configured key (or a dummy one). */
  client(options?: { apiKey?: string; timeoutMs?: number }): OpenAI;
  health(): Promise<BridgeHealth>;
  /** Resolves once /health lists exactly `count` workers. */
  waitForWorkers(count: number): Promise<BridgeHealth>;
  /** Resolves once the live model list has been fetched through a worker. */
  waitForModels(): Promise<BridgeHealth>;
  /** Stops the bridge and the fake and removes the data dir. */
  close(): Promise<void>;
}

/** Test defaults: no browsers of its own, short queue and stream deadlines so failures are quick. */
function buildConfig(dataDir: string, arenaUrl: string, overrides: BridgeOverrides): BridgeConfig {
  const base = defaultConfig({ dataDir });
  return {
    ...base,
    server: { ...base.server, port: 0, ...overrides.server },
    arena: { ...base.arena, url: arenaUrl, ...overrides.arena },
    capturedIds: { ...base.capturedIds, ...overrides.capturedIds },
    browser: { ...base.browser, workers: 'off' },
    workers: { ...base.workers, queueTimeoutSeconds: 5, pingIntervalSeconds: 5, ...overrides.workers },
    accounts: { ...base.accounts, ...overrides.accounts },
    chat: { ...base.chat, firstTokenTimeoutSeconds: 20, streamResponseTimeoutSeconds: 10, ...overrides.chat },
    logging: { ...base.logging, level: 'off' },
    endpointMap: overrides.endpointMap ?? base.endpointMap,
    models: overrides.models ?? base.models,
  };
}

/**
 * Starts a fake LMArena and a bridge configured for it.
 * @example
 * const harness = await startTestBridge({ bridge: { server: { apiKey: 'k' } } });
 * await connectNodeAgent(harness);
 * await harness.client().chat.completions.create({ model: 'fake-echo', messages });
 */
export async function startTestBridge(options: TestBridgeOptions = {}): Promise<TestBridge> {
  const fake = await startFakeArena(options.fake);
  const dataDir = await createTempDir('lmarena-bridge-test-');
  const overrides = typeof options.bridge === 'function' ? options.bridge(fake) : (options.bridge ?? {});
  const config = buildConfig(dataDir.path, fake.url, overrides);
  let bridge: RunningBridge;
  try {
    bridge = await startBridge({ config, logger: createSilentLogger() });
  } catch (error) {
    await fake.close();
    await dataDir.remove();
    throw error;
  }
  const health = async (): Promise<BridgeHealth> => {
    const response = await fetch(`${bridge.url}/health`, {
      headers: config.server.apiKey === undefined ? {} : { authorization: `Bearer ${config.server.apiKey}` },
    });
    return healthSchema.parse(await response.json());
  };
  return {
    fake,
    get bridge() {
      return bridge;
    },
    get url() {
      return bridge.url;
    },
    restartBridge: async () => {
      await bridge.close();
      bridge = await startBridge({ config, logger: createSilentLogger() });
    },
    config,
    client: (clientOptions = {}) =>
      new OpenAI({
        baseURL: `${bridge.url}/v1`,
        apiKey: clientOptions.apiKey ?? config.server.apiKey ?? 'no-key-configured',
        maxRetries: 0,
        timeout: clientOptions.timeoutMs ?? 30_000,
      }),
    health,
    waitForWorkers: (count) =>
      waitFor(async () => {
        const report = await health();
        return report.workers.count === count && report;
      }, `${count} worker(s) in /health`),
    waitForModels: () =>
      waitFor(async () => {
        const report = await health();
        return report.models.live > 0 && report;
      }, 'the live model list in /health'),
    close: async () => {
      await bridge.close();
      await fake.close();
      await dataDir.remove();
    },
  };
}
