import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import websocketPlugin from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../../observability/logger.js';
import { WORKER_PROTOCOL_VERSION, type BridgeToAgentMessage, type TokenPoolSettings } from '../../shared/worker-protocol.js';
import type { WorkerRegistry } from '../types.js';
import { checkHello } from './check-hello.js';
import { WORKER_CLOSE_CODES } from './close-codes.js';
import { DEFAULT_CONCURRENCY_LIMITS, type ConcurrencyLimits } from './page-capacity.js';
import { USERSCRIPT_PATH } from './register-userscript-route.js';
import { SocketWorker } from './socket-worker.js';

/** Options of {@link registerWorkerEndpoint}. */
export interface WorkerEndpointOptions {
  /** Told about every worker that completes its hello, and everything it reports. */
  registry: WorkerRegistry;
  logger: Logger;
  /** The secret an agent must present in `worker-hello` (compared in constant time). */
  pairingSecret: string;
  /** Origins whose pages may connect (the arena origins, e.g. `https://arena.ai`). Browsers always send `Origin` on upgrades. */
  allowedOrigins: string[];
  /** How often agents are asked to send a heartbeat. @default 10000 */
  heartbeatIntervalMs?: number;
  /** A worker that sends nothing for this long is closed. @default 3 × heartbeatIntervalMs */
  workerTimeoutMs?: number;
  /**
   * A hard cap on the jobs any one page runs at once, whatever its protocol; unset: the protocol's
   * limit alone decides.
   * @default undefined
   */
  maxConcurrency?: number | undefined;
  /** Jobs at once for a page on HTTP/1.1 or an unknown protocol (Chromium opens 6 connections per host). @default 6 */
  maxConcurrencyHttp1?: number;
  /** Jobs at once for a page on HTTP/2 or HTTP/3 (streams share one connection). @default 64 */
  maxConcurrencyHttp2?: number;
  /** reCAPTCHA v3 tokens the agents keep minted ahead; without it they mint every token on the request path. */
  tokenPool?: TokenPoolSettings;
  /** Chunk credit window per job. @default DEFAULT_CHUNK_WINDOW */
  window?: number;
  /** How long a new socket has to send `worker-hello`. @default 5000 */
  helloTimeoutMs?: number;
  /**
   * Told the network connection of each worker that completed its hello (the per-address
   * connection cap stops counting it).
   */
  onPaired?: (connection: Socket) => void;
}

/** Paths agents connect to: `/ws/worker`, and `/ws` as older userscripts did. */
export const WORKER_ENDPOINT_PATHS = ['/ws/worker', '/ws'] as const;

/**
 * Route config of the endpoint: the HTTP app answers a plain HTTP request to a route declaring
 * `webSocketOnly` with 426 `upgrade_required` and this text, saying who connects here and how.
 */
const WORKER_ROUTE_CONFIG = {
  webSocketOnly: `browser workers connect here. To connect one, install the userscript from ${USERSCRIPT_PATH} in a browser with the arena open, or start the bridge with --browser 1; OpenAI clients use the API under /v1.`,
};

/**
 * Adds the worker WebSocket endpoint (`GET /ws/worker` and `/ws`) to `app`. Registers
 * `@fastify/websocket` on `app` unless `app` already has it; if other routes need WebSockets too,
 * `await app.register(websocket)` on the root instance before calling this (a registration not yet
 * loaded would be registered twice and fail loudly). Call before `app.listen()`.
 *
 * A socket is refused (closed with a {@link WORKER_CLOSE_CODES} code and a reason) when its
 * `Origin` is not allowed, or its first message, within `helloTimeoutMs`, is not a `worker-hello`
 * of this protocol version with the pairing secret. Otherwise it is answered with `hello-ack` and
 * added to the registry as a {@link SocketWorker}. The routes carry `config.webSocketOnly`, for the
 * HTTP app to answer plain HTTP requests to them with a 426 saying how to connect a worker.
 *
 * @example
 * await registerWorkerEndpoint(app, { registry: pool, logger, pairingSecret, allowedOrigins: ['https://arena.ai'] });
 */
export async function registerWorkerEndpoint(app: FastifyInstance, options: WorkerEndpointOptions): Promise<void> {
  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocketPlugin, { options: { maxPayload: 16 * 1024 * 1024 } });
  }
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 10_000;
  const settings = {
    ...options,
    heartbeatIntervalMs,
    workerTimeoutMs: options.workerTimeoutMs ?? 3 * heartbeatIntervalMs,
    helloTimeoutMs: options.helloTimeoutMs ?? 5_000,
    allowedOrigins: new Set(options.allowedOrigins.map(normalizeOrigin)),
    concurrency: {
      http1: options.maxConcurrencyHttp1 ?? DEFAULT_CONCURRENCY_LIMITS.http1,
      http2: options.maxConcurrencyHttp2 ?? DEFAULT_CONCURRENCY_LIMITS.http2,
      max: options.maxConcurrency,
    },
  };
  for (const path of WORKER_ENDPOINT_PATHS) {
    app.get(path, { websocket: true, config: WORKER_ROUTE_CONFIG }, (socket, request) => {
      acceptSocket(socket, request.raw.socket, request.headers.origin, settings);
    });
  }
}

type EndpointSettings = Omit<WorkerEndpointOptions, 'allowedOrigins'> & {
  heartbeatIntervalMs: number;
  workerTimeoutMs: number;
  helloTimeoutMs: number;
  allowedOrigins: ReadonlySet<string>;
  concurrency: ConcurrencyLimits;
};

function acceptSocket(socket: WebSocket, connection: Socket, origin: string | undefined, settings: EndpointSettings): void {
  const logger = settings.logger.child({ transport: 'userscript', remoteAddress: connection.remoteAddress });
  let worker: SocketWorker | null = null;

  const refuse = (code: number, reason: string): void => {
    clearTimeout(helloTimer);
    logger.warn('Refused a worker connection', { code, reason, origin });
    socket.close(code, reason);
  };
  const helloTimer = setTimeout(() => {
    refuse(WORKER_CLOSE_CODES.helloTimeout, `no worker-hello within ${settings.helloTimeoutMs} ms`);
  }, settings.helloTimeoutMs);

  socket.on('error', (error) => logger.debug('Worker socket error', { error: error.message }));
  socket.on('close', (code, reason) => {
    clearTimeout(helloTimer);
    if (worker === null) return;
    worker.disconnect();
    logger.info('Worker disconnected', { workerId: worker.id, code, reason: reason.toString('utf8') });
  });

  if (origin === undefined || !settings.allowedOrigins.has(normalizeOrigin(origin))) {
    refuse(WORKER_CLOSE_CODES.originNotAllowed, `origin ${String(origin).slice(0, 60)} is not an allowed arena origin`);
    return;
  }

  socket.on('message', (data, isBinary) => {
    if (worker !== null) {
      if (isBinary) logger.debug('Dropped a binary frame from a worker', { workerId: worker.id });
      else worker.receive(rawDataToString(data));
      return;
    }
    if (socket.readyState !== socket.OPEN) return;
    const check = checkHello(rawDataToString(data), settings.pairingSecret);
    if (!check.ok) {
      refuse(check.code, check.reason);
      return;
    }
    clearTimeout(helloTimer);
    const { hello } = check;
    const id = `${hello.host}-${randomBytes(6).toString('hex')}`;
    worker = new SocketWorker({
      id,
      socket,
      kind: hello.host,
      page: hello.page,
      agentVersion: hello.agentVersion,
      pageToken: hello.pageToken,
      registry: settings.registry,
      logger: logger.child({ workerId: id }),
      concurrency: settings.concurrency,
      window: settings.window,
      workerTimeoutMs: settings.workerTimeoutMs,
      checkIntervalMs: Math.max(10, Math.min(settings.heartbeatIntervalMs, Math.floor(settings.workerTimeoutMs / 3))),
    });
    const ack: BridgeToAgentMessage = {
      type: 'hello-ack',
      protocolVersion: WORKER_PROTOCOL_VERSION,
      workerId: id,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      ...(settings.tokenPool ? { tokenPool: settings.tokenPool } : {}),
    };
    socket.send(JSON.stringify(ack));
    logger.info('Worker connected', {
      workerId: id,
      host: hello.host,
      agentVersion: hello.agentVersion,
      origin,
      httpProtocol: hello.page.httpProtocol ?? '',
      maxConcurrency: worker.maxConcurrency,
    });
    settings.registry.add(worker);
    settings.onPaired?.(connection);
  });
}

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
