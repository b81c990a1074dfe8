import type { ArenaErrorKind } from '../arena/types.js';
import type { Logger } from '../observability/logger.js';
import type { ChatServiceOptions } from './chat-service-options.js';
import { dispatch, type StartedExchange } from './dispatch.js';
import { isBridgeError } from './errors/index.js';
import type { RequestPlan } from './plan-request.js';
import type { RestingIdPicker } from './resting-id-picker.js';
import type { WorkerSource } from './worker-source.js';

/** Failures that say the captured session itself is unusable, not the worker or the moment. */
const UNHEALTHY_SESSION_KINDS: ReadonlySet<ArenaErrorKind> = new Set(['session-access-denied', 'not-found', 'bad-request']);

/** Other pool entries tried after one was rested, per request. */
const MAX_REPLANS = 2;

/** What {@link startExchange} needs. */
export interface StartExchangeInput {
  /** Plans the request; called again (a fresh pool pick) after an entry was rested. */
  plan(): RequestPlan;
  /** The requested model (the pool's key). */
  model: string;
  genAIds: Pick<RestingIdPicker, 'rest'>;
  workers: WorkerSource;
  options: Pick<ChatServiceOptions, 'firstTokenTimeoutMs' | 'idleTimeoutMs' | 'retryAttempts'>;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Plans, prepares (uploads) and dispatches a request until its first output. A Gen A plan whose
 * captured session the arena refuses is rested in the pool and the request re-planned on the
 * next entry, a bounded number of times.
 */
export async function startExchange(input: StartExchangeInput): Promise<StartedExchange> {
  for (let replans = 0; ; replans += 1) {
    const plan = input.plan();
    try {
      return await dispatch({ plan, workers: input.workers, options: input.options, signal: input.signal, logger: input.logger });
    } catch (error) {
      const kind = arenaKindOf(error);
      if (plan.genAIds === undefined || kind === undefined || !UNHEALTHY_SESSION_KINDS.has(kind)) throw error;
      input.genAIds.rest(input.model, plan.genAIds, kind);
      if (replans >= MAX_REPLANS) throw error;
    }
  }
}

/** The upstream failure kind behind a BridgeError made from a classified arena error. */
export function arenaKindOf(error: unknown): ArenaErrorKind | undefined {
  if (!isBridgeError(error)) return undefined;
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null || !('kind' in cause)) return undefined;
  const kind = cause.kind;
  return typeof kind === 'string' ? (kind as ArenaErrorKind) : undefined;
}
