import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import type { BridgeMetrics } from '../observability/metrics.js';
import type { DiscardBounds } from './answer-before-body.js';
import type { ConnectionCap } from './connection-cap.js';
import type { InFlightRequests } from './in-flight-requests.js';
import type { RequestDeadlines } from './request-deadlines.js';

/** The app-level concerns of the HTTP app (hooks, error rendering, limits), built by the composition root. */
export interface HttpAppOptions {
  logger: Logger;
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
  /**
   * On close, how long requests still running may take to finish before they are cancelled with a
   * `shutting_down` error. New requests are refused meanwhile. @default 0
   */
  shutdownGraceMs?: number;
  /** Counts every answered request (by method, route and status). Absent: not counted. */
  metrics?: Pick<BridgeMetrics, 'httpRequest'>;
  /**
   * Paths that skip API-key auth because they authenticate otherwise (pairing secret), e.g. the
   * worker WebSocket and `/userscript.user.js`. Query strings are ignored. @default []
   */
  publicPaths?: string[];
  /** Paths where the API key may also be sent as `?key=` (a link opened in a browser). @default [] */
  queryKeyPaths?: string[];
}

/** What the app hands the route registration besides itself. */
export interface HttpAppScope {
  /** When the app was built: `/health` uptime and the models' `created`. */
  startedAt: number;
  /** Requests running answers; the app drains and then aborts them on close. */
  inFlight: InFlightRequests;
}

/**
 * Registers every route, after the app's hooks, so the Host check, API-key auth and CORS cover them
 * unless listed in `publicPaths` or declared with `config: { public: true }`.
 */
export type RegisterRoutes = (app: FastifyInstance, scope: HttpAppScope) => void | Promise<void>;
