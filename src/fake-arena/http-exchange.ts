import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Http2ServerResponse, constants } from 'node:http2';
import type { Http2ServerRequest } from 'node:http2';

/** A request as the handlers see it: node:http's, or the HTTP/2 compatibility API's (over TLS). */
export type FakeRequest = IncomingMessage | Http2ServerRequest;

/** A response as the handlers see it: node:http's, or the HTTP/2 compatibility API's (over TLS). */
export type FakeResponse = ServerResponse | Http2ServerResponse;

/** Headers that name the HTTP/1.1 connection; HTTP/2 forbids them (RFC 9113 §8.2.2). */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** The host the client asked for: `:authority` under HTTP/2, else `Host`. */
export function requestHost(request: FakeRequest): string | undefined {
  const authority = request.headers[':authority'];
  const host = typeof authority === 'string' && authority !== '' ? authority : request.headers.host;
  return host === '' ? undefined : host;
}

/** Sends the status line and headers; under HTTP/2 the connection-specific headers are left out. */
export function writeHead(response: FakeResponse, status: number, headers: OutgoingHttpHeaders): void {
  if (!(response instanceof Http2ServerResponse)) {
    response.writeHead(status, headers);
    return;
  }
  const allowed: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!CONNECTION_HEADERS.has(name.toLowerCase())) allowed[name] = value;
  }
  response.writeHead(status, allowed);
}

/** Writes part of a body; false means wait for `drain`. */
export function writeChunk(response: FakeResponse, bytes: Buffer): boolean {
  return response instanceof Http2ServerResponse ? response.write(bytes) : response.write(bytes);
}

/**
 * Puts the headers on the wire before the first body chunk. HTTP/2 already sent them in
 * `writeHead` (the stream's HEADERS frame), so only HTTP/1.1 needs the flush.
 */
export function flushHeaders(response: FakeResponse): void {
  if (!(response instanceof Http2ServerResponse)) response.flushHeaders();
}

/**
 * Breaks the response off mid-body, as a dropped connection does. HTTP/1.1 destroys the socket;
 * HTTP/2 resets only this stream with `INTERNAL_ERROR` (RST_STREAM), which clients report as a
 * network error just the same, while the session's other streams carry on.
 */
export function dropConnection(response: FakeResponse): void {
  if (response instanceof Http2ServerResponse) {
    if (!response.stream.destroyed) response.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  response.destroy();
}
