import type { AgentLogger, AgentTimers, TimerHandle } from './agent-environment.js';
import { describeError } from './job-failure.js';

/** What {@link createTokenPool} needs. */
export interface TokenPoolOptions {
  /** Tokens kept ready per action; 0 turns the pool off. */
  size: number;
  /** A token is dropped unused this long after it was minted (v3 tokens expire after about two minutes). */
  maxAgeMs: number;
  /** Mints one v3 token for `action` in the page; rejects when it cannot. */
  mint(action: string, signal: AbortSignal): Promise<string>;
  /** The page's site key now: a token minted under another key is never handed out. */
  siteKey(): string | null;
  timers: AgentTimers;
  logger: AgentLogger;
}

/**
 * reCAPTCHA v3 tokens minted ahead of the requests that need them, so a request does not wait for
 * `grecaptcha.execute` (one round trip on the fake, a call to Google on the live site). Tokens are
 * single use: one handed out never comes back, so a token the site rejects is never sent again.
 */
export interface TokenPool {
  /**
   * A ready token for `action`, removed from the pool, or `undefined` when none is ready (the caller
   * mints on the request path). Either way the pool refills for `action` in the background.
   */
  take(action: string): string | undefined;
  /** Starts keeping tokens for `action` before any request asked for one. */
  warm(action: string): void;
  /** Tokens ready for `action` now. */
  ready(action: string): number;
  /** Drops every token and cancels the mints in flight. */
  close(): void;
}

interface PooledToken {
  token: string;
  siteKey: string | null;
  expiry: TimerHandle;
}

interface ActionPool {
  tokens: PooledToken[];
  minting: number;
  /** Epoch ms before which no background mint starts, after one failed. */
  pausedUntil: number;
}

/** After a failed background mint, the pool waits this long before trying again (the request path still mints). */
const PAUSE_AFTER_FAILURE_MS = 10_000;

/** Creates the pool of one page. */
export function createTokenPool(options: TokenPoolOptions): TokenPool {
  const { timers, logger } = options;
  const actions = new Map<string, ActionPool>();
  const controller = new AbortController();

  const poolOf = (action: string): ActionPool => {
    let pool = actions.get(action);
    if (pool === undefined) {
      pool = { tokens: [], minting: 0, pausedUntil: 0 };
      actions.set(action, pool);
    }
    return pool;
  };

  function fill(action: string): void {
    const pool = poolOf(action);
    if (controller.signal.aborted || timers.now() < pool.pausedUntil) return;
    while (pool.tokens.length + pool.minting < options.size) {
      pool.minting += 1;
      options.mint(action, controller.signal).then(
        (token) => {
          pool.minting -= 1;
          if (controller.signal.aborted) return;
          const entry: PooledToken = { token, siteKey: options.siteKey(), expiry: undefined };
          // Dropped before it expires; refilled only when a request uses one, so an idle page mints nothing.
          entry.expiry = timers.setTimeout(() => {
            const index = pool.tokens.indexOf(entry);
            if (index !== -1) pool.tokens.splice(index, 1);
          }, options.maxAgeMs);
          pool.tokens.push(entry);
        },
        (error: unknown) => {
          pool.minting -= 1;
          if (controller.signal.aborted) return;
          pool.pausedUntil = timers.now() + PAUSE_AFTER_FAILURE_MS;
          logger.debug('Minting a reCAPTCHA token ahead failed; requests mint their own for now', { action, error: describeError(error) });
        },
      );
    }
  }

  return {
    take(action) {
      if (options.size <= 0) return undefined;
      const pool = poolOf(action);
      const siteKey = options.siteKey();
      let taken: PooledToken | undefined;
      // Oldest first, so tokens are used well before they expire; a token of an old site key is dropped.
      while (taken === undefined && pool.tokens.length > 0) {
        const next = pool.tokens.shift() as PooledToken;
        timers.clearTimeout(next.expiry);
        if (next.siteKey === siteKey) taken = next;
      }
      // After this turn, so the request that takes the token goes out before the refill's mint.
      timers.setTimeout(() => fill(action), 0);
      return taken?.token;
    },
    warm(action) {
      if (options.size > 0) fill(action);
    },
    ready(action) {
      return actions.get(action)?.tokens.length ?? 0;
    },
    close() {
      controller.abort();
      for (const pool of actions.values()) {
        for (const entry of pool.tokens) timers.clearTimeout(entry.expiry);
      }
      actions.clear();
    },
  };
}
