import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RenderedError } from './render-error.js';

/** How much of a refused body is read and dropped after the answer, before the connection is cut. */
export interface DiscardBounds {
  /** Bytes read after the answer. */
  maxBytes: number;
  /** Time after the answer. */
  maxMs: number;
}

/** Bodies read and dropped after a refusal: up to four times the largest accepted body (at least 16 MiB), for up to 10 s. */
export function discardBoundsFor(maxBodyBytes: number): DiscardBounds {
  return { maxBytes: Math.max(4 * maxBodyBytes, 16 * 1024 * 1024), maxMs: 10_000 };
}

/** True while a request's body has not fully arrived. */
export function bodyStillArriving(incoming: IncomingMessage): boolean {
  if (incoming.complete) return false;
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Answers `rendered` to a request whose body is still arriving (too large, or refused unread), in
 * a way the common clients can read: Node's `fetch` and the `openai` SDK keep sending the body
 * until they notice the answer, and a server that closes the socket under them makes the kernel
 * reset the connection, which loses the answer to EPIPE/ECONNRESET in most tries. So the answer
 * (with `connection: close`) is written at once, the rest of the body is read and dropped, and
 * the connection is closed cleanly once the body is in — or cut once `bounds` are passed, so a
 * client that declared a huge body or stopped sending cannot hold the connection.
 */
export function answerBeforeBody(request: FastifyRequest, reply: FastifyReply, rendered: RenderedError, bounds: DiscardBounds): void {
  const incoming = request.raw;
  const response = reply.raw;
  reply.hijack();
  if (incoming.socket.destroyed) return;
  const body = JSON.stringify(rendered.body);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value;
  }
  response.writeHead(rendered.status, {
    ...headers,
    ...rendered.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  // Complete for the client (Content-Length), but not ended: Node closes the socket as soon as a
  // `connection: close` response ends. Keeping it open until the body is in also keeps Node's
  // client error handling from writing anything after it (a response has started).
  response.write(body);

  let discarded = 0;
  const stop = (): void => {
    clearTimeout(timer);
    incoming.off('data', onData);
    incoming.off('end', onEnd);
  };
  const cut = (): void => {
    stop();
    incoming.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > bounds.maxBytes) cut();
  };
  const onEnd = (): void => {
    stop();
    response.end();
  };
  const timer = setTimeout(cut, bounds.maxMs);
  incoming.on('data', onData);
  incoming.once('end', onEnd);
  incoming.once('close', stop);
  incoming.resume();
}
