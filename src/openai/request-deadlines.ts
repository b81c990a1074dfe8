import type { ServerOptions } from 'node:http';

/**
 * How long a client may take to send a request. Node's HTTP server enforces both on requests still
 * arriving; a request that has fully arrived is never cut by them, however long its response
 * streams, nor is a kept-alive connection waiting between requests (the next request's clock
 * starts with its first byte).
 */
export interface RequestDeadlines {
  /** The request line and headers, from the request's first byte (or the connection's opening). @default 20000 */
  headersMs?: number;
  /**
   * The whole request, head and body, from its first byte; never shorter than `headersMs`.
   * @default headersMs + the time the largest accepted body takes at 32 KiB/s (16 MiB: 20 s + 512 s)
   */
  requestMs?: number;
}

/** Node's timer settings for {@link RequestDeadlines}, as `http.createServer` takes them. */
export type RequestTimeoutOptions = Required<Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'connectionsCheckingInterval'>>;

const DEFAULT_HEADERS_MS = 20_000;
/** The slowest link a body of the largest accepted size must still get through by default. */
const SLOW_LINK_BYTES_PER_SECOND = 32 * 1024;
/** Node checks the deadlines on a timer, not per connection; this bounds how late a check may come. */
const MAX_CHECK_INTERVAL_MS = 1000;
const MIN_CHECK_INTERVAL_MS = 50;

/**
 * Node's `headersTimeout`, `requestTimeout` and `connectionsCheckingInterval` for `deadlines`, the
 * request deadline derived from `maxBodyBytes` when not given. The check runs every tenth of the
 * head deadline, at most every second (Node's default, 30 s, lets a 20 s deadline run to 50 s). A
 * request over its deadline is reported as Node's `clientError` `ERR_HTTP_REQUEST_TIMEOUT`, which
 * the client error handler answers with 408 `request_timeout` while no response has started.
 * @example requestTimeoutOptions({}, 16 * 1024 * 1024) // { headersTimeout: 20000, requestTimeout: 532000, connectionsCheckingInterval: 1000 }
 */
export function requestTimeoutOptions(deadlines: RequestDeadlines, maxBodyBytes: number): RequestTimeoutOptions {
  const headersTimeout = Math.max(1, Math.round(deadlines.headersMs ?? DEFAULT_HEADERS_MS));
  const derived = headersTimeout + Math.ceil(maxBodyBytes / SLOW_LINK_BYTES_PER_SECOND) * 1000;
  // Node refuses a head deadline longer than the whole-request one.
  const requestTimeout = Math.max(headersTimeout, Math.round(deadlines.requestMs ?? derived));
  const connectionsCheckingInterval = Math.min(MAX_CHECK_INTERVAL_MS, Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(headersTimeout / 10)));
  return { headersTimeout, requestTimeout, connectionsCheckingInterval };
}
