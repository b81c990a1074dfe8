/** How many jobs a worker page may run at once, by the HTTP protocol it talks to the site. */
export interface ConcurrencyLimits {
  /** Pages on HTTP/1.1 or an unknown protocol: Chromium opens at most 6 connections per host. @default 6 */
  http1: number;
  /** Pages on HTTP/2 or HTTP/3: many streams share one connection. @default 64 */
  http2: number;
  /** A hard cap for every page, whatever its protocol; `undefined` = none. @default undefined */
  max?: number | undefined;
}

/** The limits when nothing is configured. */
export const DEFAULT_CONCURRENCY_LIMITS: Readonly<ConcurrencyLimits> = Object.freeze({ http1: 6, http2: 64 });

/**
 * True for the multiplexed protocols (`h2`, `h2c`, `h3`, and drafts such as `h3-29`), as ALPN
 * names them in `nextHopProtocol`. Anything else, `''` and `undefined` included, counts as HTTP/1.1.
 */
export function isMultiplexed(httpProtocol: string | undefined): boolean {
  return httpProtocol !== undefined && /^h[23](?:$|[-c])/i.test(httpProtocol.trim());
}

/**
 * Jobs a page may run at once: the limit of its protocol, within the hard cap; at least 1.
 *
 * @example pageCapacity('h2', { http1: 6, http2: 64, max: 16 }) // 16
 */
export function pageCapacity(httpProtocol: string | undefined, limits: ConcurrencyLimits): number {
  const byProtocol = isMultiplexed(httpProtocol) ? limits.http2 : limits.http1;
  return Math.max(1, Math.min(byProtocol, limits.max ?? Number.POSITIVE_INFINITY));
}
