import { createHash, timingSafeEqual } from 'node:crypto';
import { formatZodIssues } from '../../shared/format-zod-issues.js';
import { WORKER_PROTOCOL_VERSION, workerHelloSchema } from '../../shared/worker-protocol.js';
import type { z } from 'zod';
import { WORKER_CLOSE_CODES, type WorkerCloseCode } from './close-codes.js';

/** A validated `worker-hello`. */
export type WorkerHello = z.infer<typeof workerHelloSchema>;

/** Accepted, or refused with a close code and a short reason (close reasons are capped at 123 bytes). */
export type HelloCheck = { ok: true; hello: WorkerHello } | { ok: false; code: WorkerCloseCode; reason: string };

/**
 * Checks an agent's first frame: a valid `worker-hello` of this protocol version carrying this
 * bridge's pairing secret. The version is checked before the full schema so an old agent learns
 * why it was refused even when its hello has a different shape.
 */
export function checkHello(text: string, pairingSecret: string): HelloCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: WORKER_CLOSE_CODES.invalidHello, reason: 'first message must be a JSON worker-hello' };
  }
  const head = typeof value === 'object' && value !== null ? (value as { type?: unknown; protocolVersion?: unknown }) : {};
  if (head.type === 'worker-hello' && head.protocolVersion !== WORKER_PROTOCOL_VERSION) {
    return {
      ok: false,
      code: WORKER_CLOSE_CODES.protocolMismatch,
      reason: `protocol version ${String(head.protocolVersion).slice(0, 12)} unsupported; bridge speaks ${WORKER_PROTOCOL_VERSION}; reinstall the userscript`,
    };
  }
  const parsed = workerHelloSchema.safeParse(value);
  if (!parsed.success) {
    const problem = formatZodIssues(parsed.error.issues, 1);
    const where = problem === '' ? '' : `: ${problem}`;
    return { ok: false, code: WORKER_CLOSE_CODES.invalidHello, reason: `first message must be a valid worker-hello${where}`.slice(0, 120) };
  }
  if (!secretsEqual(parsed.data.secret, pairingSecret)) {
    return { ok: false, code: WORKER_CLOSE_CODES.wrongSecret, reason: 'wrong pairing secret; reinstall the userscript from this bridge' };
  }
  return { ok: true, hello: parsed.data };
}

/** Constant-time comparison; hashing first makes the lengths equal so length is not leaked either. */
function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
