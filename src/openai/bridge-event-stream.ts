import type { BridgeEvent, BridgeEvents, BridgeEventType } from '../observability/bridge-events.js';
import { formatSseEvent } from './sse.js';
import type { SseWriter } from './sse-writer.js';

/** What one {@link BridgeEventStream} needs. */
export interface BridgeEventStreamOptions {
  /** The bus to subscribe to. */
  events: BridgeEvents;
  /** An opened writer on the client's response. */
  writer: SseWriter;
  /** Only events of these types are sent; undefined sends every type. */
  types: ReadonlySet<BridgeEventType> | undefined;
  /** Events held back while the client reads slowly; beyond it the oldest are dropped. */
  queueLimit: number;
}

/**
 * One client's subscription to the events feed. An event is written as soon as it is emitted while
 * the socket keeps up; while a write waits for the socket to drain, events wait in a queue of at
 * most `queueLimit`, the oldest dropped first, and the client is told how many it lost with an
 * `event: dropped` before the next ones. Ids count this connection's matching events from 1, so a
 * gap in them is exactly what was dropped.
 */
export class BridgeEventStream {
  readonly #options: BridgeEventStreamOptions;
  readonly #queue: Array<{ id: number; event: BridgeEvent }> = [];
  #lastId = 0;
  #dropped = 0;
  #unsubscribe: (() => void) | undefined;
  #ended = false;

  constructor(options: BridgeEventStreamOptions) {
    this.#options = options;
  }

  /** Subscribes and writes `event: ready`, so the client knows it will see every later event. */
  start(): void {
    if (this.#ended) return;
    this.#unsubscribe = this.#options.events.subscribe((event) => this.#accept(event));
    this.#write(formatSseEvent({ event: 'ready', data: JSON.stringify({ at: Date.now() }) }));
  }

  /** Unsubscribes and ends the response (when the client is still there). Safe to call twice. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#unsubscribe?.();
    this.#queue.length = 0;
    this.#options.writer.end();
  }

  #accept(event: BridgeEvent): void {
    if (this.#ended || (this.#options.types !== undefined && !this.#options.types.has(event.type))) return;
    this.#lastId += 1;
    this.#queue.push({ id: this.#lastId, event });
    if (this.#queue.length > this.#options.queueLimit) {
      this.#queue.shift();
      this.#dropped += 1;
    }
    this.#deliver();
  }

  /** Writes everything queued in one piece, unless a write is still waiting for the socket. */
  #deliver(): void {
    const { writer } = this.#options;
    if (this.#ended || this.#queue.length === 0 || writer.draining) return;
    let text = '';
    if (this.#dropped > 0) {
      text += formatSseEvent({ event: 'dropped', data: JSON.stringify({ at: Date.now(), count: this.#dropped }) });
      this.#dropped = 0;
    }
    for (const { id, event } of this.#queue) text += formatSseEvent({ id, event: event.type, data: JSON.stringify(event) });
    this.#queue.length = 0;
    this.#write(text);
  }

  #write(text: string): void {
    // The writer resolves once the socket took the text (at once, or after `drain`); what queued
    // meanwhile goes next. A closed client resolves false, and the response's `close` ends us.
    void this.#options.writer.write(text).then(
      (open) => {
        if (open) this.#deliver();
      },
      () => this.end(),
    );
  }
}
