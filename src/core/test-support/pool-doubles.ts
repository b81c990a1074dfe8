/**
 * Helpers for the worker pool's unit tests (whose workers are ../../workers/test-support/fake-worker.ts):
 * a pool that is closed after each test, and helpers to read a promise's state and a bridge error.
 */
import { afterEach } from 'vitest';
import { createSilentLogger } from '../../observability/logger.js';
import { isBridgeError } from '../errors/bridge-error.js';
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from '../pool/worker-pool.js';

export const HINT = 'Install the userscript from http://127.0.0.1:5102/userscript.user.js in a browser with arena.ai open.';

const pools: WorkerPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

export function makePool(overrides: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const pool = createWorkerPool({ logger: createSilentLogger(), connectHint: HINT, maxConcurrencyPerWorker: 2, ...overrides });
  pools.push(pool);
  return pool;
}

export const signal = (): AbortSignal => new AbortController().signal;

/** Resolves to the settled state of a promise without waiting for it. */
export async function state<T>(promise: Promise<T>): Promise<'pending' | 'resolved' | 'rejected'> {
  const marker = Symbol('pending');
  const result = await Promise.race([promise.then(() => 'resolved' as const, () => 'rejected' as const), new Promise((resolve) => setImmediate(() => resolve(marker)))]);
  return result === marker ? 'pending' : (result as 'resolved' | 'rejected');
}

export async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; status: number; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    if (!isBridgeError(error)) throw error;
    return { code: error.code, message: error.message, status: error.status, headers: error.headers };
  }
  throw new Error('expected a rejection');
}

