/**
 * The bridge's events feed: typed state transitions that a person (or the monitor page and the
 * client library) wants to see as they happen. Producers in core and the worker transports call
 * `emit`; `GET /v1/bridge/events` streams them as Server-Sent Events. Bounded: a subscriber that
 * falls more than `bufferLimit` events behind loses the oldest ones, never the bridge's memory.
 */

/** Why an account is held or what it is doing, as the feed and /health show it. */
export type AccountHoldState = 'held' | 'probing';

/** One event of the feed. `at` is epoch milliseconds; every event names the thing it is about. */
export type BridgeEvent =
  | { type: 'worker.joined'; at: number; workerId: string; kind: string; account: string }
  | { type: 'worker.left'; at: number; workerId: string; kind: string; account: string }
  | {
      type: 'account.held';
      at: number;
      account: string;
      /** Epoch ms when the hold ends by itself (a probe request is then allowed). */
      until: number;
      reason: string;
      /** What a person can do about it. */
      action: string;
    }
  | { type: 'account.released'; at: number; account: string; reason: 'expired' | 'probe-succeeded' | 'verification-passed' }
  | { type: 'account.probing'; at: number; account: string; workerId: string }
  | { type: 'challenge.shown'; at: number; workerId: string; account: string; kind: 'cloudflare' | 'verification' }
  | { type: 'challenge.cleared'; at: number; workerId: string; account: string; kind: 'cloudflare' | 'verification' }
  | { type: 'models.refreshed'; at: number; live: number }
  | { type: 'mode.switched'; at: number; from: string; to: string };

/** The `type` of a {@link BridgeEvent}. */
export type BridgeEventType = BridgeEvent['type'];

/** Distributes events to subscribers. */
export interface BridgeEvents {
  emit(event: BridgeEvent): void;
  /** Calls `listener` for each later event; returns the unsubscribe function. */
  subscribe(listener: (event: BridgeEvent) => void): () => void;
  /** Current subscriber count (tests, /health). */
  readonly subscribers: number;
}

/**
 * Creates the in-process event bus. A listener that throws is logged by the caller's `onError`
 * and stays subscribed; one listener's failure never reaches the producer.
 *
 * @example
 * const events = createBridgeEvents();
 * const stop = events.subscribe((event) => console.log(event.type));
 * events.emit({ type: 'models.refreshed', at: Date.now(), live: 42 });
 */
export function createBridgeEvents(options: { onError?: (error: unknown) => void } = {}): BridgeEvents {
  const listeners = new Set<(event: BridgeEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          options.onError?.(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    get subscribers() {
      return listeners.size;
    },
  };
}
