import type { FastifyInstance } from 'fastify';
import type { ChatService, ModelDirectory } from '../core/chat-types.js';
import type { BridgeEvents } from '../observability/bridge-events.js';
import type { Logger } from '../observability/logger.js';
import type { BridgeMetrics } from '../observability/metrics.js';
import type { DiscardBounds } from './answer-before-body.js';
import type { ConnectionCap } from './connection-cap.js';
import type { RequestDeadlines } from './request-deadlines.js';

/** Downloads a generated image for `response_format: "b64_json"`. */
export type FetchImage = (url: string, signal: AbortSignal) => Promise<{ bytes: Uint8Array; contentType: string }>;

/** Everything the OpenAI HTTP surface needs, built by the composition root. */
export interface OpenAIDependencies {
  chat: ChatService;
  models: ModelDirectory;
  logger: Logger;
  /** Extra fields for the `GET /health` body (built by core; must hold no secrets). */
  health: () => unknown;
  /** Accepted API keys; empty means no authentication. */
  apiKeys: string[];
  /** Browser origins allowed by CORS; empty means CORS is off. */
  corsOrigins: string[];
  /**
   * `Host` values answered besides loopback names and addresses (`localhost`, 127.0.0.0/8,
   * `[::1]`) and the bind address unless a wildcard, which are answered with the listening port:
   * `allowed_hosts` entries and the public URL's host (`name`, `name:port`, `*.domain`,
   * `[v6]:port`; no port means any port). Any other Host, or none, gets 421 `host_not_allowed`
   * before any hook or route, against DNS rebinding. @default []
   */
  allowedHosts?: readonly string[];
  /** Largest accepted request body in bytes; larger bodies get 413 without being buffered. */
  maxBodyBytes: number;
  /**
   * How long clients may take to send a request head and a whole request (Node's own timers;
   * responses and idle keep-alive connections are not cut). @default 20 s head, whole request derived from `maxBodyBytes`
   */
  requestDeadlines?: RequestDeadlines;
  /**
   * After refusing a request whose body is still arriving (413 and the like), how much of the rest
   * is read and dropped so the client reads the answer. @default 4 × maxBodyBytes (at least 16 MiB), 10 s
   */
  refusedBodyDiscard?: DiscardBounds;
  /** A cap on open connections per client address, put in front of every server the app listens with. Absent: no cap. */
  connectionCap?: ConnectionCap;
  /** Interval of `: ping` comments on idle SSE streams; 0 disables them. */
  pingIntervalMs: number;
  /**
   * How long a streaming request waits for core's first output before committing to a 200 SSE
   * response. Failures within it are plain HTTP errors; later ones are in-stream error events.
   * @default 3000
   */
  headersGraceMs?: number;
  /**
   * On close, how long requests still running may take to finish before they are cancelled with a
   * `shutting_down` error. New requests are refused meanwhile. @default 0
   */
  shutdownGraceMs?: number;
  /** Downloads images for `b64_json`; `data:` URIs are decoded without it. */
  fetchImage?: FetchImage;
  /** Prometheus metrics: every answered request is counted, and `GET /metrics` serves them. Absent: no route. */
  metrics?: Pick<BridgeMetrics, 'httpRequest' | 'render'>;
  /** The events bus: `GET /v1/bridge/events` streams it as Server-Sent Events. Absent: no route. */
  events?: BridgeEvents;
  /**
   * Events one `/v1/bridge/events` connection may hold back while its client reads slowly; older
   * ones are dropped and the client is told how many. @default 1000
   */
  eventsQueueLimit?: number;
  /** The bridge version shown by `/health`. */
  version: string;
  /**
   * Paths that skip API-key auth because they authenticate otherwise (pairing secret), e.g. the
   * worker WebSocket and `/userscript.user.js`. Query strings are ignored. @default []
   */
  publicPaths?: string[];
  /** Paths where the API key may also be sent as `?key=` (a link opened in a browser). @default [] */
  queryKeyPaths?: string[];
  /**
   * Registers more routes (worker WebSocket, userscript, web UI) after the hooks, so API-key auth
   * and CORS cover them unless listed in `publicPaths` or declared with `config: { public: true }`.
   */
  extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
}
