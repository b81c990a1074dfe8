/** Reads the bridge's `GET /v1/bridge/events` feed in a test, as any SSE client would. */
import { waitFor } from './wait-for.js';

/** One event received from the feed: its `event:` name and parsed `data:`. */
export interface FeedEvent {
  type: string;
  data: Record<string, unknown>;
}

/** An open subscription. */
export interface EventsFeed {
  readonly events: FeedEvent[];
  /** Resolves with the first received event of `type` matching `where`. */
  next(type: string, where?: (data: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<FeedEvent>;
  close(): void;
}

/** Subscribes and resolves once the feed said `ready`. */
export async function openEventsFeed(bridgeUrl: string, apiKey?: string): Promise<EventsFeed> {
  const controller = new AbortController();
  const response = await fetch(`${bridgeUrl}/v1/bridge/events`, {
    headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
    signal: controller.signal,
  });
  if (!response.ok || response.body === null) throw new Error(`The events feed answered ${response.status}`);
  const events: FeedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (type !== undefined && data !== undefined) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  const feed: EventsFeed = {
    events,
    next: (type, where = () => true, timeoutMs = 10_000) =>
      waitFor(() => events.find((event) => event.type === type && where(event.data)), `a "${type}" event on the feed`, timeoutMs),
    close: () => controller.abort(),
  };
  await feed.next('ready');
  return feed;
}
