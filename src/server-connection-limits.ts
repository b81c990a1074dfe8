/**
 * Maps the configuration's limits on slow and numerous connections onto the HTTP app's options.
 * Part of the composition root.
 */
import type { BridgeConfig } from './config/index.js';
import type { Logger } from './observability/logger.js';
import { createConnectionCap, type ConnectionCap, type RequestDeadlines } from './openai/index.js';

/** Refusals are logged at most this often: a client hammering the cap must not flood the log. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** What the HTTP app and the worker endpoint get from {@link connectionLimitsFrom}. */
export interface ConnectionLimits {
  requestDeadlines: RequestDeadlines;
  /** Absent when `max_connections_per_address` is 0. */
  connectionCap: ConnectionCap | undefined;
}

/**
 * `headers_timeout_seconds`, `body_timeout_seconds` (0: derived by the app from the body limit) and
 * `max_connections_per_address` (0: no cap) as the HTTP app takes them.
 */
export function connectionLimitsFrom(config: BridgeConfig, logger: Logger): ConnectionLimits {
  const { server } = config;
  let lastLogged = -Infinity;
  let unlogged = 0;
  const connectionCap = server.maxConnectionsPerAddress > 0
    ? createConnectionCap({
      maxPerAddress: server.maxConnectionsPerAddress,
      onRefused: (address) => {
        unlogged += 1;
        if (Date.now() - lastLogged < REFUSAL_LOG_INTERVAL_MS) return;
        logger.warn('Refused connections over max_connections_per_address', { address, refused: unlogged, max: server.maxConnectionsPerAddress });
        lastLogged = Date.now();
        unlogged = 0;
      },
    })
    : undefined;
  return {
    requestDeadlines: {
      headersMs: server.headersTimeoutSeconds * 1000,
      ...(server.bodyTimeoutSeconds > 0 ? { requestMs: server.bodyTimeoutSeconds * 1000 } : {}),
    },
    connectionCap,
  };
}
