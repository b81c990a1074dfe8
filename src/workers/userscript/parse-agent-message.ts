import { formatZodIssues } from '../../shared/format-zod-issues.js';
import { agentToBridgeSchema, WORKER_PROTOCOL_VERSION, type AgentToBridgeMessage } from '../../shared/worker-protocol.js';

/** A `job-chunk` as {@link parseAgentMessage} returns it. */
export type JobChunkMessage = Extract<AgentToBridgeMessage, { type: 'job-chunk' }>;

/** The outcome of parsing one inbound frame: the message, or why it was dropped. */
export type ParsedAgentMessage =
  | { ok: true; message: AgentToBridgeMessage }
  | { ok: false; problem: string; type: string | undefined };

/**
 * Parses one text frame from an agent with `agentToBridgeSchema`.
 *
 * `job-chunk` is the hot path (one frame per upstream record per stream), so it is checked first
 * by hand. The check accepts exactly what the schema accepts for that type (an object whose `type`,
 * `protocolVersion`, `jobId` and `data` have the schema's values and types; other keys are ignored),
 * and anything it rejects falls through to the schema, so validation is unchanged. The only
 * difference is that unknown keys are not stripped, and callers read only the declared fields.
 */
export function parseAgentMessage(text: string): ParsedAgentMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'frame is not JSON', type: undefined };
  }
  if (isJobChunk(value)) return { ok: true, message: value };
  const result = agentToBridgeSchema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const type = typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
    ? (value as { type: string }).type
    : undefined;
  const problem = formatZodIssues(result.error.issues, 1) || 'invalid message';
  return { ok: false, problem, type };
}

function isJobChunk(value: unknown): value is JobChunkMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate.type === 'job-chunk' &&
    candidate.protocolVersion === WORKER_PROTOCOL_VERSION &&
    typeof candidate.jobId === 'string' &&
    typeof candidate.data === 'string'
  );
}
