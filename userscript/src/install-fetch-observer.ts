/** A target whose `fetch` can be wrapped (the page's `window`). */
export interface FetchHolder {
  fetch: typeof fetch;
}

/** What {@link installFetchObserver} returns. */
export interface FetchObserver {
  /** The page's fetch as it was before wrapping; the agent's own requests use it, so they are never observed. */
  originalFetch: typeof fetch;
  /** Calls `listener` with the URL of every request the page makes through `fetch`. */
  subscribe(listener: (url: string) => void): () => void;
}

function requestUrl(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  if (typeof input === 'object' && input !== null && 'url' in input && typeof input.url === 'string') return input.url;
  return undefined;
}

/**
 * Wraps `target.fetch` at script start so the agent can see the site's own requests (id capture).
 * The wrapper passes `this`, the arguments and the result through unchanged; a throwing listener
 * never affects the page.
 */
export function installFetchObserver(target: FetchHolder): FetchObserver {
  const original = target.fetch;
  const listeners = new Set<(url: string) => void>();
  function observedFetch(this: unknown, ...args: Parameters<typeof fetch>): ReturnType<typeof fetch> {
    if (listeners.size > 0) {
      const url = requestUrl(args[0]);
      if (url !== undefined) {
        for (const listener of listeners) {
          try {
            listener(url);
          } catch {
            // The page's request must go out whatever the agent does with it.
          }
        }
      }
    }
    return Reflect.apply(original, this, args) as ReturnType<typeof fetch>;
  }
  target.fetch = observedFetch;
  return {
    originalFetch: original.bind(target),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
