/**
 * The composition root: the one place that turns the validated configuration into running parts
 * and wires them together, top to bottom: storage, events and accounts, the worker pool and the
 * browser workers, the model directory, the chat service, the HTTP app with every route
 * (server-routes.ts), listen; and on close, the same in reverse. Nothing else constructs them, and
 * nothing here holds protocol or HTTP knowledge.
 */
import { join } from 'node:path';
import type { BridgeConfig } from './config/index.js';
import { readPackageVersion } from './config/index.js';
import { describeNonPublicUrl } from './config/public-url.js';
import {
  createAccountLedger,
  createArenaModelFetcher,
  createAttachmentPreparer,
  createAttachmentUploader,
  createCapturedIdPicker,
  createChatService,
  createDirectModeMemory,
  createFileBedClient,
  createGeneratedImageSaver,
  createHealthReport,
  createIdCapture,
  createModelDirectory,
  createWorkerPool,
} from './core/index.js';
import { tokenPoolSettings } from './arena/index.js';
import { createImageFetcher } from './core/attachments/fetch-image.js';
import type { HostedFiles } from './core/index.js';
import { createBridgeEvents } from './observability/bridge-events.js';
import type { Logger } from './observability/logger.js';
import { createHttpApp } from './openai/index.js';
import { createBridgeMetrics } from './server-bridge-metrics.js';
import { createBrowserWorkers } from './server-browser-workers.js';
import { ARENA_MODES, chatServiceOptionsFrom } from './server-chat-service-options.js';
import { connectionLimitsFrom } from './server-connection-limits.js';
import { registerRoutes, routeAuthentication } from './server-routes.js';
import {
  createAccountStateStore,
  createCapturedIdsStore,
  createFileStore,
  createSqliteConversationStore,
  DIRECT_MODE_KEY,
  ensureDataDir,
  loadOrCreatePairingSecret,
  openStateDatabase,
} from './storage/index.js';
import type { BrowserHost } from './workers/browser/index.js';
import { USERSCRIPT_PATH, WORKER_ENDPOINT_PATHS } from './workers/index.js';

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
  // Configuration and logger arrive validated from the CLI (or a test).
  const { config, logger } = options;
  const version = await readPackageVersion();
  const arenaOrigins = arenaOriginsOf(config.arena.url);
  // The listen address is only known after listen (port 0 picks one), so URLs handed to agents are
  // read through this holder when a script is rendered, never before.
  const address = { base: `http://${config.server.host}:${config.server.port}` };
  const workerWsUrl = () => `${address.base.replace(/^http/, 'ws')}${WORKER_ENDPOINT_PATHS[0]}`;
  const connectHint = () =>
    `Install the userscript from ${address.base}${USERSCRIPT_PATH} in a browser with ${config.arena.url} open, or start the bridge with --browser 1.`;

  // Storage: the state database in the data directory, and the file store behind the file host.
  await ensureDataDir(config.dataDir);
  const database = openStateDatabase(config.dataDir);
  const pairingSecret = loadOrCreatePairingSecret(database);
  const capturedIds = createCapturedIdsStore(database);
  const fileHost = config.fileHost;
  const fileTtlMs = fileHost.ttlMinutes * 60_000;
  const fileStore = fileHost.enabled || fileHost.saveGeneratedImages
    ? createFileStore({ directory: join(config.dataDir, 'files'), maxBytes: Math.floor(fileHost.maxMb * 1024 * 1024), ttlMs: fileTtlMs })
    : undefined;
  const filesBaseUrl = (): string => fileHost.publicUrl ?? address.base;
  const hostedFiles: HostedFiles | undefined = fileStore && {
    put: async (file) => {
      const info = await fileStore.put(file);
      return { id: info.id, url: `${filesBaseUrl()}/files/${info.id}` };
    },
  };

  // Events and accounts. Holds persist in the data directory: a restart must not send a flagged
  // account a request.
  const events = createBridgeEvents({ onError: (error) => logger.error('An events feed subscriber failed', { error: error instanceof Error ? error.message : String(error) }) });
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

  // The worker pool, its metrics, and the automated browser workers that join it.
  const pool = createWorkerPool({
    logger,
    queueLimit: config.workers.queueLimit,
    queueTimeoutMs: config.workers.queueTimeoutSeconds * 1000,
    connectHint,
    accounts,
    events,
  });
  const metrics = config.server.metricsEnabled ? await createBridgeMetrics(pool, () => directory.status().liveModels) : undefined;
  const browser = await createBrowserWorkers(options, { pairingSecret, version, wsUrl: workerWsUrl });
  // The browser host hears every outcome core reports to the pool, to reload, restart or report
  // a page that keeps failing; metrics count them.
  pool.onOutcome((worker, outcome) => {
    if (outcome.kind === 'served') return;
    browser?.observeOutcome(worker, outcome);
    metrics?.workerOutcome(outcome.kind);
  });

  // The model directory, refreshed from the arena through the workers.
  const directory = createModelDirectory({
    entries: config.models,
    showStealthModels: config.arena.showStealthModels,
    refreshMs: config.arena.modelRefreshMinutes * 60_000,
    fetchModels: createArenaModelFetcher(pool),
    workers: pool,
    logger,
    onRefreshed: (live) => events.emit({ type: 'models.refreshed', at: Date.now(), live }),
  });

  // The chat service, with attachments uploaded to the arena (or the file bed, or the file host).
  const chatOptions = chatServiceOptionsFrom(config);
  const fileBed = config.fileBed.enabled ? createFileBedClient({ uploadUrl: config.fileBed.uploadUrl, apiKey: config.fileBed.apiKey }) : undefined;
  const uploader = createAttachmentUploader({ workers: pool, logger, fileBed });
  const chat = createChatService({
    workers: pool,
    ...(metrics ? { metrics } : {}),
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
    attachments: createAttachmentPreparer({
      uploader,
      protocol: config.arena.protocol,
      fileBed: fileBed !== undefined,
      hostedFiles: fileHost.enabled ? hostedFiles : undefined,
    }),
    uploadText: uploader.uploadText,
    ...(fileHost.saveGeneratedImages && hostedFiles ? { rewriteAnswer: createGeneratedImageSaver({ files: hostedFiles, fetchImage: createImageFetcher(), logger }) } : {}),
    directMode: createDirectModeMemory({
      configured: config.arena.directModeValue,
      slot: { get: () => database.getSetting(DIRECT_MODE_KEY), set: (value) => database.setSetting(DIRECT_MODE_KEY, value) },
      logger,
      events,
    }),
    logger,
  });

  // The HTTP app: its hooks and limits, then every route of the bridge (server-routes.ts).
  const { requestDeadlines, connectionCap } = connectionLimitsFrom(config, logger);
  const app = await createHttpApp({
    logger,
    apiKeys: config.server.apiKey === undefined ? [] : [config.server.apiKey],
    corsOrigins: [...config.server.corsOrigins],
    // Besides loopback and the bind address: the names users configured, and the public URL's host
    // (any port when it has none: a proxy in front may forward it either way).
    allowedHosts: [...config.server.allowedHosts, ...(config.fileHost.publicUrl === undefined ? [] : [new URL(config.fileHost.publicUrl).host])],
    maxBodyBytes: config.server.maxRequestBodyMb * 1024 * 1024,
    requestDeadlines,
    ...(connectionCap ? { connectionCap } : {}),
    shutdownGraceMs: SHUTDOWN_GRACE_MS,
    ...(metrics ? { metrics } : {}),
    ...routeAuthentication(config.server.apiKey !== undefined),
  }, (routes, scope) => registerRoutes(routes, scope, {
    openai: {
      chat,
      models: directory,
      logger,
      health: () => ({ ...createHealthReport(pool, directory), ...(browser ? { browser: browser.snapshot() } : {}) }),
      pingIntervalMs: config.workers.pingIntervalSeconds * 1000,
      fetchImage: createImageFetcher(),
      version,
    },
    metrics: metrics && (() => metrics.render()),
    events: { events, pingIntervalMs: config.workers.pingIntervalSeconds * 1000 },
    workerEndpoint: {
      registry: browser ? browser.wrapRegistry(pool) : pool,
      logger,
      pairingSecret,
      allowedOrigins: arenaOrigins,
      // Each page's capacity follows the protocol it reports; the pool leases within it.
      maxConcurrency: config.workers.maxConcurrency,
      maxConcurrencyHttp1: config.workers.maxConcurrencyHttp1,
      maxConcurrencyHttp2: config.workers.maxConcurrencyHttp2,
      ...(config.arena.recaptchaTokenPool > 0 ? { tokenPool: tokenPoolSettings(config.arena.recaptchaTokenPool) } : {}),
      // Paired workers share 127.0.0.1 with clients: they must not use up the clients' allowance.
      onPaired: (connection) => connectionCap?.exempt(connection),
    },
    files: fileStore && { files: fileStore, uploadKey: fileHost.enabled ? fileHost.uploadKey : undefined, publicBaseUrl: filesBaseUrl },
    internalModels: { models: directory, workers: pool },
    captureIds: {
      capture: createIdCapture({ workers: pool, state: capturedIds, models: directory, logger }),
      clearCaptured: () => capturedIds.clear(),
    },
    userscript: { pairingSecret, bridgeWsUrl: workerWsUrl, publicBaseUrl: () => address.base, arenaOrigins, agentVersion: version },
  }));

  // Listen, then start what runs in the background.
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
  if (fileStore) {
    fileStore.startCleanup(Math.min(Math.max(fileTtlMs / 4, 10_000), 5 * 60_000));
    const problem = fileHost.enabled ? describeNonPublicUrl(filesBaseUrl()) : undefined;
    if (problem !== undefined) {
      logger.warn('The file host URL is not reachable from the arena\'s servers; set file_host_public_url to a public URL that reaches this bridge', { url: filesBaseUrl(), reason: problem });
    }
  }
  // The browser boots in the background: the API (and userscript workers) are usable at once,
  // and a browser that cannot start or reach the site only costs its own worker.
  void browser?.start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('Automated browser workers failed to start', { error: message });
    options.onProgress?.(`Automated browser failed to start: ${message}. Userscript workers still work.`);
  });
  logger.info('Bridge listening', { url: address.base, version, dataDir: config.dataDir });

  // Close in reverse: stop accepting and let running answers finish (or cancel them) before the
  // workers go, and the storage last.
  let closing: Promise<void> | undefined;
  return {
    url: address.base,
    pairingSecret,
    browser,
    close: () => {
      closing ??= (async () => {
        directory.stop();
        await app.close();
        await browser?.stop({ graceMs: 1_000 });
        pool.close();
        accounts.close();
        fileStore?.stop();
        metrics?.close();
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
