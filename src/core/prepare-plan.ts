import { isBridgeError, UpstreamError } from './errors/index.js';
import type { RequestPlan } from './plan-request.js';

/**
 * Runs a plan's preparation (uploading the conversation history as a file) before its first
 * request. Every plan a request ends up using is prepared, the fallback of a refused session too.
 */
export async function preparePlan(plan: RequestPlan, signal: AbortSignal): Promise<void> {
  if (plan.prepare === undefined) return;
  try {
    await plan.prepare(signal);
  } catch (error) {
    if (isBridgeError(error)) throw error;
    throw new UpstreamError(
      `Uploading the conversation history as a file failed: ${error instanceof Error ? error.message : String(error)}. Retry, or shorten the conversation.`,
      { cause: error },
    );
  }
}
