import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Ends the client connection once `reply` has been written, for responses sent with
 * `Connection: close`. Node's HTTP server closes a plain request's socket by itself after such a
 * response, but a WebSocket upgrade request has left the HTTP server: @fastify/websocket routes it
 * through Fastify and destroys its socket only when the request reached the upgrade hooks, so a
 * request refused earlier would otherwise keep its socket open.
 */
export function endSocketAfterReply(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.once('finish', () => {
    if (!request.raw.socket.destroyed) request.raw.socket.end();
  });
}
