import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocketServer } from 'ws';
import { InvalidRequestError } from '../core/errors/index.js';
import { endSocketAfterReply } from './end-socket-after-reply.js';
import { rawErrorResponse } from './raw-error-response.js';

/** The WebSocket versions the `ws` server accepts, as the `Sec-WebSocket-Version` response header lists them. */
const WEBSOCKET_VERSIONS = '13, 8';

/**
 * True for a request asking to switch protocols: an `Upgrade` header and the `upgrade` option in
 * `Connection`, which is what makes Node hand a request to the server's `upgrade` listeners.
 */
export function isUpgradeRequest(request: FastifyRequest): boolean {
  const connection = request.headers.connection;
  return request.headers.upgrade !== undefined
    && typeof connection === 'string'
    && connection.split(',').some((option) => option.trim().toLowerCase() === 'upgrade');
}

/**
 * `onRequest` hook, registered before any hook that may refuse: a request to switch protocols that
 * is answered with anything but a switch gets `Connection: close`, and its socket is ended after
 * the answer. Node's HTTP server has let go of such a socket, and @fastify/websocket ends it only
 * for requests that reached its own hook, so a refusal by an earlier hook (a missing API key)
 * would otherwise leave it open, and keep `app.close()` waiting.
 */
export async function closeRefusedUpgrades(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!isUpgradeRequest(request)) return;
  reply.header('connection', 'close');
  endSocketAfterReply(request, reply);
}

/**
 * `onRequest` hook for routes declared with `config: { webSocketOnly: '<who connects here and
 * how>' }`: a plain HTTP request to one gets 426 `upgrade_required` with that text, instead of
 * @fastify/websocket's empty 404.
 */
export async function requireWebSocketUpgrade(request: FastifyRequest): Promise<void> {
  const purpose = (request.routeOptions.config as { webSocketOnly?: unknown } | undefined)?.webSocketOnly;
  if (typeof purpose !== 'string' || isUpgradeRequest(request)) return;
  const path = request.url.split('?', 1)[0] ?? '';
  throw new InvalidRequestError(
    `${request.method} ${path} accepts only WebSocket connections (a request with "Upgrade: websocket"), not plain HTTP requests: ${purpose}`,
    // RFC 9110 asks a 426 for `Upgrade` and the `upgrade` connection option; `close` too, as Node
    // keeps a connection whose response names its own Connection options open even when the
    // request asked to close it.
    { code: 'upgrade_required', headers: { upgrade: 'websocket', connection: 'upgrade, close' } },
  );
}

/**
 * Makes `server` answer the handshakes it refuses (an `Upgrade` other than `websocket`, a bad
 * `Sec-WebSocket-Key` or `Sec-WebSocket-Version`, a malformed `Sec-WebSocket-Protocol`) with an
 * OpenAI-shaped 400 `malformed_request` instead of its `text/html` one, and close the connection.
 * @example answerRefusedHandshakes(app.websocketServer)
 */
export function answerRefusedHandshakes(server: WebSocketServer): void {
  server.on('wsClientError', (error: Error, socket: Duplex) => {
    const refusal = new InvalidRequestError(
      `The WebSocket handshake was refused (${error.message}); WebSocket clients send "Upgrade: websocket", "Sec-WebSocket-Version: 13" and a Sec-WebSocket-Key of 16 bytes in base64, and other requests must not ask to switch protocols (the bridge speaks HTTP/1.1 and WebSocket only).`,
      { code: 'malformed_request', headers: { 'sec-websocket-version': WEBSOCKET_VERSIONS }, cause: error },
    );
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(refusal), () => socket.destroy());
  });
}
