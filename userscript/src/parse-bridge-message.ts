import { formatZodIssues } from '../../src/shared/format-zod-issues.js';
import { bridgeToAgentSchema, type BridgeToAgentMessage } from '../../src/shared/worker-protocol.js';

/** The outcome of validating one inbound frame. */
export type ParsedBridgeMessage =
  | { ok: true; message: BridgeToAgentMessage }
  /** `jobId` is set when the frame was a recognisable but malformed `job-start`, so it can be refused. */
  | { ok: false; problem: string; jobId?: string };

function malformedJobId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return record.type === 'job-start' && typeof record.jobId === 'string' ? record.jobId : undefined;
}

/** Parses and validates a WebSocket frame from the bridge against the worker protocol. */
export function parseBridgeMessage(data: unknown): ParsedBridgeMessage {
  if (typeof data !== 'string') return { ok: false, problem: 'binary frame' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const result = bridgeToAgentSchema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const problem = formatZodIssues(result.error.issues, 3);
  const jobId = malformedJobId(value);
  return jobId === undefined ? { ok: false, problem } : { ok: false, problem, jobId };
}
