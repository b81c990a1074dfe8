/**
 * The composition root: the one place that turns the validated configuration into running parts
 * (state database, worker pool, model directory, chat service, HTTP app, worker endpoint) and wires
 * them together. Nothing else constructs them, and nothing here holds protocol or HTTP knowledge.
 */
import type { BridgeConfig } from './config/index.js';
import { readPackageVersion } from './config/index.js';
import {
  createArenaModelFetcher,
  createChatService,
  createHealthReport,
  createMemoryConversationStore,
  createModelDirectory,
  createWorkerPool,
} from './core/index.js';
import { createImageFetcher } from './core/fetch-image.js';
import type { Logger } from './observability/logger.js';
import { createHttpApp } from './openai/index.js';
import { chatServiceOptionsFrom } from './server-options.js';
import { ensureDataDir, loadOrCreatePairingSecret, openStateDatabase } from './storage/index.js';
import { registerUserscriptRoute, registerWorkerEndpoint, USERSCRIPT_PATH, WORKER_ENDPOINT_PATHS } from './workers/index.js';

/** What {@link startBridge} needs. */
export interface StartBridgeOptions {
  config: BridgeConfig;
  logger: Logger;
  /** Configuration warnings, already shown to the user by the CLI. */
  warnings?: string[];
}

/** A running bridge. */
export interface RunningBridge {
  /** Where the bridge listens, e.g. `http://127.0.0.1:5102`. */
  url: string;
  /** The secret agents present to join the pool (kept in the data dir). */
  pairingSecret: string;
  /** Stops accepting, cancels in-flight requests and releases every resource. */
  close(): Promise<void>;
}

/**
 * Starts the bridge and resolves once it listens.
 *
 * @example
 * const { config } = await loadConfig({ argv, env, cwd, homeDir });
 * const bridge = await startBridge({ config, logger: createLogger() });
 */
export async function startBridge(options: StartBridgeOptions): Promise<RunningBridge> {
  const { config, logger } = options;
  const version = await readPackageVersion();
  await ensureDataDir(config.dataDir);
  const database = openStateDatabase(config.dataDir);
  const pairingSecret = loadOrCreatePairingSecret(database);
  const arenaOrigins = arenaOriginsOf(config.arena.url);

  // The listen address is only known after listen (port 0 picks one), so URLs handed to agents are
  // read through this holder when a script is rendered, never before.
  const address = { base: `http://${config.server.host}:${config.server.port}` };
  const connectHint = () =>
    `Install the userscript from ${address.base}${USERSCRIPT_PATH} in a browser with ${config.arena.url} open, or start the bridge with --browser 1.`;

  const pool = createWorkerPool({
    logger,
    maxConcurrencyPerWorker: config.workers.maxConcurrency,
    queueLimit: config.workers.queueLimit,
    queueTimeoutMs: config.workers.queueTimeoutSeconds * 1000,
    connectHint,
  });
  const directory = createModelDirectory({
    entries: config.models,
    showStealthModels: config.arena.showStealthModels,
    refreshMs: config.arena.modelRefreshMinutes * 60_000,
    fetchModels: createArenaModelFetcher(pool),
    workers: pool,
    logger,
  });
  const chat = createChatService({
    workers: pool,
    models: directory,
    conversations: createMemoryConversationStore(),
    options: chatServiceOptionsFrom(config),
    logger,
  });

  const app = await createHttpApp({
    chat,
    models: directory,
    logger,
    health: () => createHealthReport(pool, directory),
    apiKeys: config.server.apiKey === undefined ? [] : [config.server.apiKey],
    corsOrigins: [...config.server.corsOrigins],
    maxBodyBytes: config.server.maxRequestBodyMb * 1024 * 1024,
    pingIntervalMs: config.workers.pingIntervalSeconds * 1000,
    fetchImage: createImageFetcher(),
    version,
    publicPaths: [...WORKER_ENDPOINT_PATHS, USERSCRIPT_PATH],
    extraRoutes: async (routes) => {
      await registerWorkerEndpoint(routes, {
        registry: pool,
        logger,
        pairingSecret,
        allowedOrigins: arenaOrigins,
        maxConcurrency: config.workers.maxConcurrency,
      });
      registerUserscriptRoute(routes, {
        pairingSecret,
        bridgeWsUrl: () => `${address.base.replace(/^http/, 'ws')}${WORKER_ENDPOINT_PATHS[0]}`,
        publicBaseUrl: () => address.base,
        arenaOrigins,
        agentVersion: version,
      });
    },
  });

  let listening: string;
  try {
    listening = await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await app.close();
    pool.close();
    database.close();
    throw error;
  }
  address.base = reachableUrl(listening);
  directory.start();
  logger.info('Bridge listening', { url: address.base, version, dataDir: config.dataDir });

  let closing: Promise<void> | undefined;
  return {
    url: address.base,
    pairingSecret,
    close: () => {
      closing ??= (async () => {
        directory.stop();
        pool.close();
        await app.close();
        database.close();
        logger.info('Bridge stopped');
      })();
      return closing;
    },
  };
}

/** The origins arena pages run on: the configured one, and the old domain for arena.ai. */
function arenaOriginsOf(arenaUrl: string): string[] {
  const origin = new URL(arenaUrl).origin;
  return origin === 'https://arena.ai' ? [origin, 'https://lmarena.ai'] : [origin];
}

/** A listen address as clients reach it: a wildcard bind is reached through loopback. */
function reachableUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0') parsed.hostname = '127.0.0.1';
  if (parsed.hostname === '[::]') parsed.hostname = '[::1]';
  return parsed.origin;
}
