/**
 * The bridge end of the worker protocol for agent tests: a real `ws` server on 127.0.0.1 that
 * validates everything the agent sends with the shared schemas.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import {
  WORKER_PROTOCOL_VERSION,
  agentToBridgeSchema,
  type AgentToBridgeMessage,
} from '../../../src/shared/worker-protocol.js';

type MessageOf<T extends AgentToBridgeMessage['type']> = Extract<AgentToBridgeMessage, { type: T }>;

/** One agent connection as the bridge sees it. */
export interface BridgeConnection {
  /** Every valid message received so far, in order. */
  readonly messages: AgentToBridgeMessage[];
  /** Frames that failed the shared schema (a test failure if ever non-empty). */
  readonly invalid: unknown[];
  /** The next not yet taken message of `type` (optionally matching), waiting up to `timeoutMs`. */
  take<T extends AgentToBridgeMessage['type']>(type: T, match?: (message: MessageOf<T>) => boolean, timeoutMs?: number): Promise<MessageOf<T>>;
  /** Sends a frame (objects get the protocol version added unless they have one). */
  send(message: Record<string, unknown> | string): void;
  /** Answers the hello. */
  ack(heartbeatIntervalMs?: number): void;
  readonly closed: Promise<void>;
  terminate(): void;
}

/** A running fake bridge. */
export interface FakeBridge {
  readonly url: string;
  readonly port: number;
  /** Resolves with the next agent that connects (or one that connected and was not yet taken). */
  nextConnection(timeoutMs?: number): Promise<BridgeConnection>;
  close(): Promise<void>;
}

function wrap(socket: ServerSocket): BridgeConnection {
  const messages: AgentToBridgeMessage[] = [];
  const taken = new Set<AgentToBridgeMessage>();
  const invalid: unknown[] = [];
  let wake: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('message', (data) => {
    const value: unknown = JSON.parse(String(data));
    const parsed = agentToBridgeSchema.safeParse(value);
    if (parsed.success) messages.push(parsed.data);
    else invalid.push(value);
    wake();
  });
  return {
    messages,
    invalid,
    closed,
    async take(type, match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(
          (message): message is MessageOf<typeof type> =>
            message.type === type && !taken.has(message) && (match?.(message as MessageOf<typeof type>) ?? true),
        );
        if (found) {
          taken.add(found);
          return found;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`No ${type} message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.type))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    send(message) {
      socket.send(typeof message === 'string' ? message : JSON.stringify({ protocolVersion: WORKER_PROTOCOL_VERSION, ...message }));
    },
    ack(heartbeatIntervalMs = 60_000) {
      this.send({ type: 'hello-ack', workerId: 'worker-1', heartbeatIntervalMs });
    },
    terminate: () => socket.terminate(),
  };
}

/** Starts a fake bridge on 127.0.0.1 (`port` 0 picks a free one). */
export async function startFakeBridge(port = 0): Promise<FakeBridge> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const pending: BridgeConnection[] = [];
  let notify: () => void = () => undefined;
  server.on('connection', (socket) => {
    pending.push(wrap(socket));
    notify();
  });
  return {
    url: `ws://127.0.0.1:${actualPort}/ws/worker`,
    port: actualPort,
    async nextConnection(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (pending.length === 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`No agent connected within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          notify = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return pending.shift() as BridgeConnection;
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
