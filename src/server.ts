/**
 * The composition root: the one place that turns the validated configuration into running parts
 * (state database, worker pool, model directory, chat service, HTTP app, worker endpoint) and wires
 * them together. Nothing else constructs them, and nothing here holds protocol or HTTP knowledge.
 */
import type { BridgeConfig } from './config/index.js';
import { findChromium, readPackageVersion } from './config/index.js';
import {
  createAccountLedger,
  createArenaModelFetcher,
  createDirectModeMemory,
  createCapturedIdPicker,
  createChatService,
  createHealthReport,
  createIdCapture,
  createModelDirectory,
  createWorkerPool,
  withChatMetrics,
} from './core/index.js';
import { createImageFetcher } from './core/fetch-image.js';
import type { WorkerPool } from './core/index.js';
import type { Logger } from './observability/logger.js';
import type { BridgeMetrics } from './observability/metrics.js';
import { createHttpApp, registerCaptureIdsRoute, registerInternalModelsRoute } from './openai/index.js';
import { createAttachmentParts } from './server-attachments.js';
import { connectionLimitsFrom } from './server-connection-limits.js';
import { ARENA_MODES, chatServiceOptionsFrom } from './server-options.js';
import { createAccountStateStore, createCapturedIdsStore, createSqliteConversationStore, DIRECT_MODE_KEY, ensureDataDir, loadOrCreatePairingSecret, openStateDatabase } from './storage/index.js';
import { createBridgeEvents } from './observability/bridge-events.js';
import { createBrowserFleet, createBrowserHost, planBrowserWorkers, profileDirFor, type BrowserHost } from './workers/browser/index.js';
import { registerUserscriptRoute, registerWorkerEndpoint, USERSCRIPT_PATH, WORKER_ENDPOINT_PATHS } from './workers/index.js';

/** How long answers still running at shutdown may take to finish before they are cancelled. */
const SHUTDOWN_GRACE_MS = 10_000;

/** What {@link startBridge} needs. */
export interface StartBridgeOptions {
  config: BridgeConfig;
  logger: Logger;
  /** Configuration warnings, already shown to the user by the CLI. */
  warnings?: string[];
  /** Told each step while automated browser workers boot (the CLI prints them). */
  onProgress?: (message: string) => void;
}

/** A running bridge. */
export interface RunningBridge {
  /** Where the bridge listens, e.g. `http://127.0.0.1:5102`. */
  url: string;
  /** The secret agents present to join the pool (kept in the data dir). */
  pairingSecret: string;
  /** The automated Chromium workers, when the bridge launched any. */
  browser: BrowserHost | undefined;
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

  const events = createBridgeEvents({ onError: (error) => logger.error('An events feed subscriber failed', { error: error instanceof Error ? error.message : String(error) }) });
  // Holds persist in the data directory: a restart must not send a flagged account a request.
  const accounts = createAccountLedger({
    pacing: {
      minIntervalMs: config.accounts.minIntervalSeconds * 1000,
      hourlyBudget: config.accounts.hourlyBudget,
      adaptive: config.accounts.adaptivePacing,
    },
    defaultHoldMs: config.accounts.holdMinutes * 60_000,
    store: createAccountStateStore(database),
    events,
    logger,
    onHoldStarted: () => metrics?.accountHoldStarted(),
    onProbeRejected: () => metrics?.accountProbeRejected(),
  });
  const pool = createWorkerPool({
    logger,
    maxConcurrencyPerWorker: config.workers.maxConcurrency,
    queueLimit: config.workers.queueLimit,
    queueTimeoutMs: config.workers.queueTimeoutSeconds * 1000,
    connectHint,
    accounts,
    events,
  });
  const metrics = config.server.metricsEnabled ? await createBridgeMetrics(pool, () => directory.status().liveModels) : undefined;
  const browser = await createBrowserWorkers(options, { pairingSecret, version, wsUrl: () => `${address.base.replace(/^http/, 'ws')}${WORKER_ENDPOINT_PATHS[0]}` });
  // Core reports each job's outcome to the pool; the browser host hears them too, to reload,
  // restart or report a page that keeps failing.
  const workers = {
    acquire: pool.acquire.bind(pool),
    snapshot: pool.snapshot.bind(pool),
    get size() {
      return pool.size;
    },
    reportOutcome: (...outcome: Parameters<typeof pool.reportOutcome>) => {
      pool.reportOutcome(...outcome);
      if (outcome[1].kind === 'served') return;
      browser?.observeOutcome(...outcome);
      metrics?.workerOutcome(outcome[1].kind);
    },
    observeBudget: pool.observeBudget.bind(pool),
  };
  const directory = createModelDirectory({
    entries: config.models,
    showStealthModels: config.arena.showStealthModels,
    refreshMs: config.arena.modelRefreshMinutes * 60_000,
    fetchModels: createArenaModelFetcher(workers),
    workers,
    logger,
    onRefreshed: (live) => events.emit({ type: 'models.refreshed', at: Date.now(), live }),
  });
  const capturedIds = createCapturedIdsStore(database);
  const chatOptions = chatServiceOptionsFrom(config);
  const attachmentParts = createAttachmentParts({ config, logger, workers: pool, bridgeUrl: () => address.base });
  const answering = createChatService({
    workers,
    models: directory,
    // Persisted, so a conversation continues in the same arena session after a restart.
    conversations: createSqliteConversationStore(database, {
      maxEntries: config.chat.maxConversations,
      modes: ARENA_MODES,
      onError: (error) => logger.warn('Saving conversations to the data directory failed; they will not survive a restart', { error: error instanceof Error ? error.message : String(error) }),
    }),
    options: chatOptions,
    // Ids written by `lmarena-bridge capture-ids` apply on the next request, without a restart.
    genAIds: createCapturedIdPicker({ configured: chatOptions, captured: capturedIds }),
    attachments: attachmentParts.attachments,
    uploadText: attachmentParts.uploader.uploadText,
    ...(attachmentParts.saveImages ? { rewriteAnswer: attachmentParts.saveImages } : {}),
    directMode: createDirectModeMemory({
      configured: config.arena.directModeValue,
      slot: { get: () => database.getSetting(DIRECT_MODE_KEY), set: (value) => database.setSetting(DIRECT_MODE_KEY, value) },
      logger,
      events,
    }),
    logger,
  });
  const chat = metrics ? withChatMetrics(answering, metrics) : answering;

  const { requestDeadlines, connectionCap } = connectionLimitsFrom(config, logger);
  const app = await createHttpApp({
    chat,
    models: directory,
    logger,
    health: () => ({ ...createHealthReport(pool, directory), ...(browser ? { browser: browser.snapshot() } : {}) }),
    apiKeys: config.server.apiKey === undefined ? [] : [config.server.apiKey],
    corsOrigins: [...config.server.corsOrigins],
    // Besides loopback and the bind address: the names users configured, and the public URL's host
    // (any port when it has none: a proxy in front may forward it either way).
    allowedHosts: [...config.server.allowedHosts, ...(config.fileHost.publicUrl === undefined ? [] : [new URL(config.fileHost.publicUrl).host])],
    maxBodyBytes: config.server.maxRequestBodyMb * 1024 * 1024,
    requestDeadlines,
    ...(connectionCap ? { connectionCap } : {}),
    pingIntervalMs: config.workers.pingIntervalSeconds * 1000,
    shutdownGraceMs: SHUTDOWN_GRACE_MS,
    fetchImage: createImageFetcher(),
    events,
    ...(metrics ? { metrics } : {}),
    version,
    // The userscript carries the pairing secret: with an API key it needs the key too (`?key=`
    // keeps installing one click); without one, the bridge is reachable only as bound.
    publicPaths: config.server.apiKey === undefined ? [...WORKER_ENDPOINT_PATHS, USERSCRIPT_PATH] : [...WORKER_ENDPOINT_PATHS],
    queryKeyPaths: [USERSCRIPT_PATH],
    extraRoutes: async (routes) => {
      await registerWorkerEndpoint(routes, {
        registry: browser ? browser.wrapRegistry(pool) : pool,
        logger,
        pairingSecret,
        allowedOrigins: arenaOrigins,
        maxConcurrency: config.workers.maxConcurrency,
        // Paired workers share 127.0.0.1 with clients: they must not use up the clients' allowance.
        onPaired: (connection) => connectionCap?.exempt(connection),
      });
      await attachmentParts.registerRoutes(routes);
      registerInternalModelsRoute(routes, { models: directory, workers: pool });
      registerCaptureIdsRoute(routes, {
        capture: createIdCapture({ workers: pool, state: capturedIds, models: directory, logger }),
        clearCaptured: () => capturedIds.clear(),
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
    accounts.close();
    metrics?.close();
    database.close();
    throw error;
  }
  address.base = reachableUrl(listening);
  directory.start();
  attachmentParts.start();
  // The browser boots in the background: the API (and userscript workers) are usable at once,
  // and a browser that cannot start or reach the site only costs its own worker.
  void browser?.start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('Automated browser workers failed to start', { error: message });
    options.onProgress?.(`Automated browser failed to start: ${message}. Userscript workers still work.`);
  });
  logger.info('Bridge listening', { url: address.base, version, dataDir: config.dataDir });

  let closing: Promise<void> | undefined;
  return {
    url: address.base,
    pairingSecret,
    browser,
    close: () => {
      closing ??= (async () => {
        directory.stop();
        // Stop accepting and let running answers finish (or cancel them) before the workers go.
        await app.close();
        await browser?.stop({ graceMs: 1_000 });
        pool.close();
        accounts.close();
        attachmentParts.close();
        metrics?.close();
        database.close();
        logger.info('Bridge stopped');
      })();
      return closing;
    },
  };
}

/** Plans and creates the automated Chromium workers (`--browser`, one Chromium per `browser_profiles` entry), or none. */
async function createBrowserWorkers(
  options: StartBridgeOptions,
  agent: { pairingSecret: string; version: string; wsUrl: () => string },
): Promise<BrowserHost | undefined> {
  const { config, logger } = options;
  const plan = planBrowserWorkers(config.browser, await findChromium(config));
  if (plan.kind === 'error') throw new Error(plan.message);
  if (plan.kind === 'skip') {
    if (config.browser.workers !== 'off') options.onProgress?.(plan.message);
    logger.info(plan.message);
    return undefined;
  }
  for (const warning of plan.warnings) {
    options.onProgress?.(`warning: ${warning}`);
    logger.warn(warning);
  }
  const shared = {
    executablePath: plan.executablePath,
    headless: !config.browser.headful,
    ...(config.browser.proxy === undefined ? {} : { proxy: config.browser.proxy }),
    arenaUrl: config.arena.url,
    bridgeWsUrl: agent.wsUrl,
    pairingSecret: agent.pairingSecret,
    agentVersion: agent.version,
    logger,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  if (plan.profiles.length > 0) return createBrowserFleet({ ...shared, profiles: plan.profiles, dataDir: config.dataDir });
  return createBrowserHost({ ...shared, profileDir: profileDirFor(config.dataDir), incognito: config.browser.incognito, pages: plan.pages });
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

/** The metrics, loaded only when enabled; workers and queue are read from the pool on each scrape. */
async function createBridgeMetrics(pool: WorkerPool, liveModels: () => number): Promise<BridgeMetrics> {
  const { createMetrics } = await import('./observability/metrics.js');
  return createMetrics({
    workers: () => pool.snapshot().workers.map((worker) => ({ kind: worker.kind, hold: worker.held ?? 'none' })),
    activeJobs: () => pool.snapshot().workers.reduce((sum, worker) => sum + worker.activeJobs, 0),
    capacity: () => pool.snapshot().capacity,
    queued: () => pool.snapshot().queued,
    accounts: () => pool.snapshot().accounts.map((account) => ({ state: account.state })),
    liveModels,
  });
}
