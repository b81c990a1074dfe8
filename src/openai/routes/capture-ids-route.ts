import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IdCapture } from '../../core/index.js';
import { InFlightRequests } from '../in-flight-requests.js';
import { parseRequestBody } from '../parse-request-body.js';

/** The body of `POST /internal/capture-ids`. */
export const captureIdsRequestSchema = z.object({
  mode: z.enum(['direct_chat', 'battle']).default('direct_chat'),
  battle_target: z.enum(['A', 'B', 'a', 'b']).transform((target) => target.toUpperCase() as 'A' | 'B').default('A'),
  model: z.string().trim().min(1).optional(),
  timeout_seconds: z.number().int().min(1).max(3600).default(120),
}).strict();

/** The answer of `POST /internal/capture-ids`. */
export interface CapturedIdsWire {
  session_id: string;
  message_id: string;
  mode: 'direct_chat' | 'battle';
  battle_target: 'A' | 'B';
  /** `null` when the global ids were replaced. */
  model: string | null;
  stored: 'global' | 'model_pool';
  pool_size: number;
  worker_id: string;
  captured_at: string;
}

/** What {@link registerCaptureIdsRoute} needs. */
export interface CaptureIdsRouteDependencies {
  capture: IdCapture;
  /** Forgets every captured id (global and pools). */
  clearCaptured: () => void;
}

/**
 * `POST /internal/capture-ids` long-polls: it arms the connected agents and answers once the user
 * clicked Retry in an arena tab (or 504 after `timeout_seconds`). `DELETE /internal/capture-ids`
 * forgets captured ids, so the configured ones apply again. Both sit behind the API key.
 */
export function registerCaptureIdsRoute(app: FastifyInstance, deps: CaptureIdsRouteDependencies): void {
  const inFlight = new InFlightRequests();
  // A capture can wait for minutes; shutting down must not wait for it.
  app.addHook('preClose', async () => inFlight.abortAll(new Error('The bridge is shutting down.')));

  app.post('/internal/capture-ids', async (request: FastifyRequest, reply: FastifyReply): Promise<CapturedIdsWire> => {
    const body = parseRequestBody(captureIdsRequestSchema, request.body ?? {});
    const lifetime = inFlight.begin(reply);
    try {
      const result = await deps.capture.capture(
        { mode: body.mode, battleTarget: body.battle_target, timeoutMs: body.timeout_seconds * 1000, ...(body.model === undefined ? {} : { model: body.model }) },
        lifetime.signal,
      );
      return {
        session_id: result.sessionId,
        message_id: result.messageId,
        mode: result.mode,
        battle_target: result.battleTarget,
        model: result.model ?? null,
        stored: result.model === undefined ? 'global' : 'model_pool',
        pool_size: result.poolSize,
        worker_id: result.workerId,
        captured_at: result.capturedAt,
      };
    } finally {
      lifetime.release();
    }
  });

  app.delete('/internal/capture-ids', async () => {
    deps.clearCaptured();
    return { cleared: true };
  });
}
