import type { FakeRequest, FakeResponse } from './http-exchange.js';
import type { FakeArenaState } from './state.js';

/** What every route handler receives. */
export interface RouteContext {
  state: FakeArenaState;
  request: FakeRequest;
  response: FakeResponse;
  /** The request URL, resolved against the request origin. */
  url: URL;
  cookies: Map<string, string>;
  /** `<scheme>://<host>` the client asked for: where links, media and signed URLs point. */
  origin: string;
}

/** The injection header (§13.3 switch two). */
export function injectionHeader(context: RouteContext): string | undefined {
  const value = context.request.headers['x-fake-arena-inject'];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Where `lmarena.*` hosts and `domain-move` point: the canonical origin plus the same path. */
export function canonicalLocation(context: RouteContext): string {
  const origin = context.state.options.canonicalOrigin ?? context.state.url;
  return `${origin}${context.url.pathname}${context.url.search}`;
}
