import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../../core/errors/index.js';
import type { BridgeEvents, BridgeEventType } from '../../observability/bridge-events.js';
import { BridgeEventStream } from '../bridge-event-stream.js';
import { SseWriter } from '../sse-writer.js';

/** Events one feed connection may hold back while its client reads slowly. */
export const DEFAULT_EVENTS_QUEUE_LIMIT = 1000;

// A record rather than a list: a type added to the BridgeEvent union fails to compile until it is here.
const EVENT_TYPES: Readonly<Record<BridgeEventType, true>> = {
  'worker.joined': true,
  'worker.left': true,
  'account.held': true,
  'account.released': true,
  'account.probing': true,
  'challenge.shown': true,
  'challenge.cleared': true,
  'models.refreshed': true,
  'mode.switched': true,
};

/** Every event type the feed can send (the values `?types=` accepts). */
export const BRIDGE_EVENT_TYPES: readonly BridgeEventType[] = Object.keys(EVENT_TYPES) as BridgeEventType[];

function isEventType(name: string): name is BridgeEventType {
  return Object.hasOwn(EVENT_TYPES, name);
}

/**
 * Reads the `types` query parameter: comma-separated event types (repeating the parameter works
 * too). Absent means every type; an unknown or missing name is a 400 naming the `types` param.
 * @example parseEventTypes('account.held,account.released') // Set {'account.held', 'account.released'}
 */
export function parseEventTypes(value: unknown): ReadonlySet<BridgeEventType> | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).filter((part): part is string => typeof part === 'string');
  const names = parts.flatMap((part) => part.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  const known = BRIDGE_EVENT_TYPES.join(', ');
  if (names.length === 0) {
    throw new InvalidRequestError(`Invalid 'types': give one or more event types separated by commas (${known}), or leave it out for all.`, { param: 'types' });
  }
  const unknown = names.filter((name) => !isEventType(name));
  if (unknown.length > 0) {
    throw new InvalidRequestError(`Invalid 'types': unknown event type ${unknown.map((name) => JSON.stringify(name)).join(', ')}; the feed sends ${known}.`, { param: 'types' });
  }
  return new Set(names.filter(isEventType));
}

/** What {@link registerEventsRoute} needs. */
export interface EventsRouteOptions {
  /** The bus core emits into. */
  events: BridgeEvents;
  /** Interval of `: ping` comments while no event flows; 0 disables them. */
  pingIntervalMs: number;
  /**
   * Events one connection may hold back while its client reads slowly; older ones are dropped and
   * the client gets `event: dropped` with their count. @default 1000
   */
  queueLimit?: number;
}

/**
 * `GET /v1/bridge/events`: the events bus as Server-Sent Events (`event: ready`, then one event per
 * bus event, optionally filtered with `?types=`). Behind the API key like every route that is not
 * public. Closing the app ends every open stream cleanly.
 */
export function registerEventsRoute(app: FastifyInstance, options: EventsRouteOptions): void {
  const queueLimit = Math.max(1, options.queueLimit ?? DEFAULT_EVENTS_QUEUE_LIMIT);
  const open = new Set<BridgeEventStream>();
  // The feed never finishes by itself: without this, close would wait for every subscriber to leave.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  app.get('/v1/bridge/events', async (request, reply) => {
    const types = parseEventTypes((request.query as { types?: unknown } | undefined)?.types);
    reply.hijack();
    const writer = new SseWriter(reply.raw, options.pingIntervalMs);
    writer.open(reply.getHeaders());
    const stream = new BridgeEventStream({ events: options.events, writer, types, queueLimit });
    const finish = (): void => {
      stream.end();
      open.delete(stream);
    };
    open.add(stream);
    reply.raw.once('close', finish);
    // A client that left while the auth hook ran has already had its `close`.
    if (writer.closed || reply.raw.socket === null || reply.raw.socket.destroyed) finish();
    else stream.start();
    return reply;
  });
}
