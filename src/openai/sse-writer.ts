import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { SSE_PING } from './sse.js';

/** Headers every SSE answer carries; `x-accel-buffering` stops nginx from holding chunks back. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Writes an SSE response on a raw Node response with backpressure: `write()` resolves only once the
 * socket has taken the data (or closed), so the caller pulls upstream no faster than the client
 * reads. While nothing else is written, a `: ping` comment goes out every `pingIntervalMs`.
 */
export class SseWriter {
  readonly #response: ServerResponse;
  readonly #pingIntervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #wroteSinceTick = false;
  #draining = false;
  #gone = false;

  constructor(response: ServerResponse, pingIntervalMs: number) {
    this.#response = response;
    this.#pingIntervalMs = pingIntervalMs;
    response.once('close', () => {
      this.#gone = true;
      this.#stopPings();
    });
  }

  /** True once the client has gone or the response has ended. */
  get closed(): boolean {
    return this.#gone || this.#response.destroyed || this.#response.writableEnded;
  }

  /** True while a write waits for the socket to drain: the client reads slower than data comes. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Sets status 200 with the SSE headers (plus `headers`) and starts the ping timer. With `flush`
   * the head goes out now (while waiting for the answer); otherwise it leaves with the first write,
   * in the same packet.
   */
  open(headers: Record<string, string | number | readonly string[] | undefined>, flush = true): void {
    const merged: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries({ ...headers, ...SSE_HEADERS })) {
      if (value !== undefined) merged[name] = typeof value === 'object' ? [...value] : value;
    }
    this.#response.writeHead(200, merged);
    if (flush) this.#response.flushHeaders();
    if (this.#pingIntervalMs > 0) {
      this.#timer = setInterval(() => this.#tick(), this.#pingIntervalMs);
      this.#timer.unref();
    }
  }

  #tick(): void {
    if (this.closed) return this.#stopPings();
    if (this.#wroteSinceTick || this.#draining) {
      this.#wroteSinceTick = false;
      return;
    }
    this.#response.write(SSE_PING);
  }

  #stopPings(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Writes `text`; when the socket buffer is full, waits for `drain` or `close` (a dead socket never
   * drains). Resolves false when the client is gone.
   */
  async write(text: string): Promise<boolean> {
    if (this.closed) return false;
    this.#wroteSinceTick = true;
    if (!this.#response.write(text)) {
      this.#draining = true;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#response.off('drain', done);
          this.#response.off('close', done);
          resolve();
        };
        this.#response.on('drain', done);
        this.#response.on('close', done);
      });
      this.#draining = false;
    }
    return !this.closed;
  }

  /** Stops the pings and ends the response with `text` (when the client is still there). */
  end(text = ''): void {
    this.#stopPings();
    if (!this.closed) this.#response.end(text);
  }
}
