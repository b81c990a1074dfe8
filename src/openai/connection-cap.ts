import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { RateLimitError } from '../core/errors/index.js';
import { rawErrorResponse } from './raw-error-response.js';

/** Options of {@link createConnectionCap}. */
export interface ConnectionCapOptions {
  /** Open connections one client address may hold; 0 means no cap. */
  maxPerAddress: number;
  /**
   * How long a refused connection is kept open, reading and dropping what the client sends, so
   * that its 429 is read rather than lost to a reset. @default 2000
   */
  refusedLingerMs?: number;
  /** Told about each refused connection. */
  onRefused?: (address: string) => void;
}

/** A per-address cap on the open connections of an HTTP server. */
export interface ConnectionCap {
  /**
   * Puts the cap in front of `server`'s connection handling; one cap may guard several servers
   * (127.0.0.1 and ::1). Call once per server, before it accepts connections and after anything
   * else that listens to `connection`.
   */
  attach(server: Server): void;
  /**
   * Stops counting `socket` against its address (a worker WebSocket that has paired: workers
   * share 127.0.0.1 with clients, and must not use up the clients' allowance).
   */
  exempt(socket: Socket): void;
  /** Connections `address` holds that count against the cap. */
  openConnections(address: string): number;
  /** Closes the refused connections still lingering. */
  close(): void;
}

/** `::ffff:127.0.0.1` (IPv4 on a dual-stack socket) is `127.0.0.1`; undefined when the socket is gone. */
export function normalizeAddress(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}

/**
 * Caps the connections one client address may hold open. A connection over the cap never reaches
 * Node's HTTP parser: it is answered at once with 429 `too_many_connections` in OpenAI's shape,
 * written on the raw socket, and closed. Every connection counts (WebSocket upgrades too) until it
 * closes or is {@link ConnectionCap.exempt exempted}.
 * @example
 * const cap = createConnectionCap({ maxPerAddress: 256 });
 * cap.attach(app.server);
 */
export function createConnectionCap(options: ConnectionCapOptions): ConnectionCap {
  const open = new Map<string, number>();
  const counted = new WeakMap<Socket, string>();
  const refused = new Set<Socket>();
  const lingerMs = options.refusedLingerMs ?? 2000;
  const refusal = rawErrorResponse(new RateLimitError(
    `This client address already holds ${options.maxPerAddress} open connections to the bridge (max_connections_per_address); reuse connections (keep-alive), close idle ones, or raise max_connections_per_address in config.jsonc.`,
    { code: 'too_many_connections' },
  ));

  const release = (socket: Socket): void => {
    const address = counted.get(socket);
    if (address === undefined) return;
    counted.delete(socket);
    const left = (open.get(address) ?? 1) - 1;
    if (left > 0) open.set(address, left);
    else open.delete(address);
  };

  const admit = (socket: Socket): boolean => {
    const address = normalizeAddress(socket.remoteAddress);
    if (options.maxPerAddress <= 0 || address === undefined) return true;
    const held = open.get(address) ?? 0;
    if (held >= options.maxPerAddress) {
      options.onRefused?.(address);
      return false;
    }
    open.set(address, held + 1);
    counted.set(socket, address);
    socket.once('close', () => release(socket));
    return true;
  };

  const refuse = (socket: Socket): void => {
    refused.add(socket);
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    socket.once('close', () => {
      clearTimeout(timer);
      refused.delete(socket);
    });
    // The client may already have sent its request: closing with unread bytes would reset the
    // connection, and a reset can discard the 429 before the client reads it. So the answer and a
    // FIN go out, what arrives is read and dropped, and the socket closes when the client closes
    // its side (or the linger runs out).
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.end(refusal);
  };

  return {
    attach(server) {
      const listeners = server.listeners('connection') as ((this: Server, socket: Socket) => void)[];
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => {
        if (!admit(socket)) return refuse(socket);
        for (const listener of listeners) listener.call(server, socket);
      });
    },
    exempt: release,
    openConnections: (address) => open.get(normalizeAddress(address) ?? address) ?? 0,
    close() {
      for (const socket of refused) socket.destroy();
      refused.clear();
    },
  };
}
