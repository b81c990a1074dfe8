import type { FastifyReply } from 'fastify';
import { ClientAbortError } from '../core/errors/index.js';

/** The cancellation handle of one HTTP request. */
export interface RequestLifetime {
  /** Aborted when the client disconnects before the response finished, or on shutdown. */
  signal: AbortSignal;
  /** True once the client connection closed before the response was complete. */
  readonly clientGone: boolean;
  /** Stops watching; call when the handler is done with the request. */
  release(): void;
}

/**
 * One AbortController per request, tracked so shutdown can abort every request still running.
 * Owned by the app instance (no module state).
 */
export class InFlightRequests {
  readonly #controllers = new Set<AbortController>();
  readonly #emptied = new Set<() => void>();

  /** Starts watching `reply`'s connection; its `close` before the response finished aborts. */
  begin(reply: FastifyReply): RequestLifetime {
    const controller = new AbortController();
    let clientGone = false;
    const onClose = (): void => {
      if (reply.raw.writableFinished) return;
      clientGone = true;
      controller.abort(new ClientAbortError('The client closed the connection before the answer was complete.'));
    };
    reply.raw.once('close', onClose);
    this.#controllers.add(controller);
    return {
      signal: controller.signal,
      get clientGone() {
        return clientGone;
      },
      release: () => {
        reply.raw.off('close', onClose);
        this.#controllers.delete(controller);
        if (this.#controllers.size === 0) for (const listener of this.#emptied) listener();
      },
    };
  }

  /** Number of requests currently running. */
  get size(): number {
    return this.#controllers.size;
  }

  /** Resolves once no request is running, or after `timeoutMs`, whichever comes first. */
  async drained(timeoutMs: number): Promise<void> {
    if (this.#controllers.size === 0 || timeoutMs <= 0) return;
    let listener: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      listener = resolve;
      this.#emptied.add(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    if (listener) this.#emptied.delete(listener);
  }

  /** Aborts every running request with `reason` (e.g. a `shutting_down` error). */
  abortAll(reason: unknown): void {
    for (const controller of this.#controllers) controller.abort(reason);
  }
}
