import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { FakeRequest, FakeResponse } from './http-exchange.js';
import type { TlsCredentials } from './tls-certificate.js';

/** A server that is listening; `close()` ends every connection and session it has. */
export interface ListeningServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (0 picks a free port). Without credentials: plain HTTP/1.1. With them:
 * TLS that offers `h2` and `http/1.1` by ALPN, so browsers open one multiplexed connection as they
 * do to the real site; HTTP/1.1 requests reach `onRequest` as node:http objects, HTTP/2 ones
 * through the compatibility API.
 */
export async function listen(host: string, port: number, credentials: TlsCredentials | undefined, onRequest: (request: FakeRequest, response: FakeResponse) => void): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  const server: Server | Http2SecureServer = credentials === undefined
    ? createServer(onRequest)
    : createSecureServer({ ...credentials, allowHTTP1: true }, onRequest);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () => new Promise<void>((resolve) => {
      // Sessions first: destroying one sends GOAWAY and resets its open streams before the socket goes.
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
