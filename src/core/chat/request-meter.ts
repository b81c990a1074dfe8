import type { ChatMetrics } from '../../observability/metrics.js';
import { isBridgeError } from '../errors/index.js';

/** One request's metrics: its time to first output and how it ended, each reported once. */
export interface RequestMeter {
  /** The answer's first output reached the client's side of core. */
  firstOutput(): void;
  /** The request ended: `ok`, an error code, or `client_closed_request`. Only the first call counts. */
  end(outcome: string): void;
  /** The request failed with `error` (its code is the outcome). */
  failed(error: unknown): void;
}

/**
 * Starts the meter of one request. A name the bridge could not resolve is reported as model
 * `unknown`, so clients cannot grow the label set with made-up names. Without `metrics` it
 * reports nothing.
 */
export function startRequestMeter(
  metrics: ChatMetrics | undefined,
  request: { model: string; stream: boolean },
  now: () => number = () => performance.now(),
): RequestMeter {
  const started = now();
  let ended = metrics === undefined;
  let firstSeen = false;
  const end = (model: string, outcome: string): void => {
    if (ended) return;
    ended = true;
    metrics?.completed({ model, stream: request.stream, outcome, seconds: (now() - started) / 1000 });
  };
  return {
    firstOutput() {
      if (firstSeen || metrics === undefined) return;
      firstSeen = true;
      metrics.firstOutput(request.model, (now() - started) / 1000);
    },
    end(outcome) {
      end(request.model, outcome);
    },
    failed(error) {
      const code = isBridgeError(error) ? error.code : 'internal_error';
      end(code === 'model_not_found' ? 'unknown' : request.model, code);
    },
  };
}
