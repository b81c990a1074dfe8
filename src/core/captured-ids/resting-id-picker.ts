import type { Logger } from '../../observability/logger.js';
import type { GenAIdPicker, GenAIds } from './gen-a-id-picker.js';

/** A Gen A picker that can set an unhealthy entry aside for a while. */
export interface RestingIdPicker extends GenAIdPicker {
  /** Skips this model's entry for `restMs`, unless every entry of the pool is resting. */
  rest(model: string, ids: GenAIds, reason: string): void;
}

/** Options of {@link createRestingIdPicker}. */
export interface RestingIdPickerOptions {
  /** How long an unhealthy entry is skipped. @default 600000 (10 minutes) */
  restMs?: number;
  now?: () => number;
  logger: Logger;
}

/** Round-robin pools are short; this bounds the search for a healthy entry all the same. */
const MAX_SKIPS = 64;

/**
 * Wraps a round-robin picker so that entries whose request failed because the arena refused the
 * session (access denied, not found, bad request) are rested: skipped for `restMs`, with a log
 * line. When every entry of the pool rests, the next one is used anyway, because a request that
 * might work beats one that certainly fails with "no ids".
 */
export function createRestingIdPicker(inner: GenAIdPicker, options: RestingIdPickerOptions): RestingIdPicker {
  const restMs = options.restMs ?? 600_000;
  const now = options.now ?? Date.now;
  const restingUntil = new Map<string, number>();
  const keyOf = (model: string, ids: GenAIds): string => `${model}\u0000${ids.sessionId}\u0000${ids.messageId}`;

  const isResting = (key: string): boolean => {
    const until = restingUntil.get(key);
    if (until === undefined) return false;
    if (until > now()) return true;
    restingUntil.delete(key);
    return false;
  };

  return {
    pick(model) {
      const first = inner.pick(model);
      if (!isResting(keyOf(model, first))) return first;
      const seen = new Set([`${first.sessionId}/${first.messageId}`]);
      for (let skips = 0; skips < MAX_SKIPS; skips += 1) {
        const next = inner.pick(model);
        const identity = `${next.sessionId}/${next.messageId}`;
        if (seen.has(identity)) break;
        seen.add(identity);
        if (!isResting(keyOf(model, next))) return next;
      }
      options.logger.warn('Every captured session of the model is resting; using one anyway', { model });
      return first;
    },
    rest(model, ids, reason) {
      restingUntil.set(keyOf(model, ids), now() + restMs);
      options.logger.warn('Resting an unhealthy captured session', {
        model,
        sessionId: ids.sessionId,
        mode: ids.mode,
        reason,
        restSeconds: Math.round(restMs / 1000),
      });
    },
  };
}
