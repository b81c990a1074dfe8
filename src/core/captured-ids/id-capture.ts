import type { Logger } from '../../observability/logger.js';
import type { WorkerConnection } from '../../workers/types.js';
import type { CapturedIdsEntry, CapturedIdsState } from './captured-ids-state.js';
import type { GenAMode } from '../chat/chat-service-options.js';
import { ClientAbortError, NoWorkerAvailableError, UpstreamTimeoutError } from '../errors/index.js';
import type { ArenaModelDirectory } from '../models/model-directory.js';
import type { WorkerPool } from '../pool/pool-types.js';

/** What one `capture-ids` call asks for. */
export interface IdCaptureRequest {
  mode: GenAMode;
  battleTarget: 'A' | 'B';
  /** Append to this model's pool instead of replacing the global ids. */
  model?: string;
  /** How long to wait for the Retry click. */
  timeoutMs: number;
}

/** What was captured and where it was stored. */
export interface IdCaptureResult extends CapturedIdsEntry {
  /** The model whose pool was extended; `undefined` for the global ids. */
  model: string | undefined;
  /** Size of the model's pool afterwards (1 for the global ids). */
  poolSize: number;
  /** The worker whose page made the Retry request. */
  workerId: string;
}

/** Arms the connected agents and waits for the user's Retry click. */
export interface IdCapture {
  capture(request: IdCaptureRequest, signal: AbortSignal): Promise<IdCaptureResult>;
}

/** What {@link createIdCapture} needs. */
export interface IdCaptureDependencies {
  workers: Pick<WorkerPool, 'connections' | 'onIdsCaptured'>;
  state: Pick<CapturedIdsState, 'setGlobal' | 'appendToPool'>;
  /** Checks `--model` names (ModelNotFoundError lists the closest ones). */
  models: Pick<ArenaModelDirectory, 'resolve'>;
  logger: Logger;
  /** How often agents that joined after arming (a reloaded tab) are armed too. @default 1000 */
  rearmIntervalMs?: number;
  now?: () => Date;
}

type Captured = { worker: WorkerConnection; ids: { sessionId: string; messageId: string } };

/**
 * Id capture as the original's id updater did it, without its second server: every connected agent
 * is armed (🎯 in its tab title), the first Retry request one of them sees answers every waiting
 * call, and the others are disarmed. Concurrent calls share one arming; the last to leave
 * (timeout, client gone) disarms.
 */
export function createIdCapture(dependencies: IdCaptureDependencies): IdCapture {
  const { workers, state, logger } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const waiters = new Set<(captured: Captured) => void>();
  const armed = new Map<string, WorkerConnection>();
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  function armAll(): void {
    for (const worker of workers.connections()) {
      if (armed.get(worker.id) === worker) continue;
      armed.set(worker.id, worker);
      worker.armCapture(true);
    }
  }

  function stop(except?: WorkerConnection): void {
    unsubscribe?.();
    unsubscribe = undefined;
    clearInterval(timer);
    timer = undefined;
    for (const worker of armed.values()) if (worker !== except && !worker.closed) worker.armCapture(false);
    armed.clear();
  }

  function start(): void {
    unsubscribe = workers.onIdsCaptured((worker, ids) => {
      const pending = [...waiters];
      waiters.clear();
      stop(worker);
      for (const resolve of pending) resolve({ worker, ids });
    });
    armAll();
    timer = setInterval(armAll, dependencies.rearmIntervalMs ?? 1_000);
    timer.unref();
  }

  function wait(request: IdCaptureRequest, signal: AbortSignal): Promise<Captured> {
    return new Promise<Captured>((resolve, reject) => {
      const leave = (error: Error): void => {
        waiters.delete(done);
        clearTimeout(deadline);
        if (waiters.size === 0) stop();
        reject(error);
      };
      const onAbort = (): void => leave(new ClientAbortError('The capture-ids call was cancelled.'));
      const done = (captured: Captured): void => {
        clearTimeout(deadline);
        signal.removeEventListener('abort', onAbort);
        resolve(captured);
      };
      const deadline = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        leave(new UpstreamTimeoutError(
          `No Retry request was seen within ${Math.round(request.timeoutMs / 1000)} s. Click Retry on an answer in an arena tab that shows 🎯 in its title, or wait longer with --timeout-seconds.`,
        ));
      }, request.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.add(done);
      if (unsubscribe === undefined) start();
      else armAll();
    });
  }

  return {
    async capture(request, signal) {
      if (signal.aborted) throw new ClientAbortError('The capture-ids call was cancelled.');
      if (request.model !== undefined) await dependencies.models.resolve(request.model, signal);
      if (workers.connections().length === 0) {
        throw new NoWorkerAvailableError('No browser worker is connected to arm for id capture. Open an arena tab with the userscript installed (its title shows ✅), then run capture-ids again.');
      }
      const { worker, ids } = await wait(request, signal);
      const entry: CapturedIdsEntry = { ...ids, mode: request.mode, battleTarget: request.battleTarget, capturedAt: now().toISOString() };
      const poolSize = request.model === undefined ? (state.setGlobal(entry), 1) : state.appendToPool(request.model, entry);
      logger.info('Captured ids stored', { workerId: worker.id, model: request.model ?? null, mode: entry.mode, battleTarget: entry.battleTarget, poolSize });
      return { ...entry, model: request.model, poolSize, workerId: worker.id };
    },
  };
}
