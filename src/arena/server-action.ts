import type { JobRequest } from '../shared/worker-protocol.js';
import { ArenaInputError } from './arena-input-error.js';

/** Input of {@link buildServerAction}. */
export interface ServerActionInput {
  /** The build-specific action id (§8.3), 40+ lowercase hex characters. */
  actionId: string;
  /** The page the action is posted to. @default '/' */
  pagePath?: string;
  /** The action's arguments, sent as a JSON array. */
  args: unknown[];
  /** Sent as `Next-Router-State-Tree`, already URL-encoded, when given. */
  routerStateTree?: string;
}

/** The outcome of a server action: its `data`, or why it failed. */
export type ServerActionResult = { ok: true; data: unknown } | { ok: false; error: string };

const ACTION_ID_PATTERN = /^[0-9a-f]{40,}$/;

/**
 * A Next.js server-action call (§8.2): `POST <page>` with `Next-Action: <id>`,
 * `Accept: text/x-component` and the arguments as a JSON array.
 *
 * @example buildServerAction({ actionId, args: ['photo.png', 'image/png'] })
 */
export function buildServerAction(input: ServerActionInput): JobRequest {
  if (!ACTION_ID_PATTERN.test(input.actionId)) {
    throw new ArenaInputError('actionId', `Server action id "${input.actionId}" is not a lowercase hex id; re-read the action ids from the site's chunks.`);
  }
  const pagePath = input.pagePath ?? '/';
  if (!pagePath.startsWith('/')) throw new ArenaInputError('pagePath', `pagePath must start with "/", got "${pagePath}".`);
  const headers: Record<string, string> = {
    Accept: 'text/x-component',
    'Content-Type': 'text/plain;charset=UTF-8',
    'Next-Action': input.actionId,
  };
  if (input.routerStateTree !== undefined) headers['Next-Router-State-Tree'] = input.routerStateTree;
  return { method: 'POST', url: pagePath, headers, body: { kind: 'json', value: [...input.args] } };
}

/**
 * Reads a server action's RSC text answer: the `1:` row is the action's return value (`0:` is
 * Next.js bookkeeping); failing that, any `<n>:{…}` row with a `success` field. Arena actions answer
 * `{success, data}` or `{success: false, error}`. Never throws.
 */
export function parseServerActionResponse(text: string): ServerActionResult {
  let firstRow: { parsed: boolean; value: unknown; raw: string } | undefined;
  let fallback: Record<string, unknown> | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[0-9a-f]+$/i.test(line.slice(0, colon))) continue;
    const payload = line.slice(colon + 1);
    const value = parseJson(payload);
    if (line.slice(0, colon) === '1' && firstRow === undefined) {
      firstRow = { parsed: value.ok, value: value.ok ? value.value : undefined, raw: payload };
    }
    if (fallback === undefined && value.ok && isRecord(value.value) && 'success' in value.value) fallback = value.value;
  }
  if (firstRow !== undefined) {
    if (firstRow.parsed && isRecord(firstRow.value) && 'success' in firstRow.value) return fromEnvelope(firstRow.value);
    // `1:E{…}` is how React Server Components encode an action that threw.
    if (firstRow.raw.startsWith('E')) return { ok: false, error: describeThrown(firstRow.raw.slice(1)) };
    if (fallback !== undefined) return fromEnvelope(fallback);
    if (firstRow.parsed) return { ok: true, data: firstRow.value };
    return { ok: false, error: 'The server action answered a "1:" row that is not JSON.' };
  }
  if (fallback !== undefined) return fromEnvelope(fallback);
  return { ok: false, error: 'The server action answer has no result row; the action id may be stale.' };
}

function fromEnvelope(envelope: Record<string, unknown>): ServerActionResult {
  if (envelope.success === true) return { ok: true, data: envelope.data };
  const error = envelope.error ?? envelope.message;
  if (typeof error === 'string' && error !== '') return { ok: false, error };
  if (isRecord(error) && typeof error.message === 'string') return { ok: false, error: error.message };
  return { ok: false, error: 'The server action reported success: false without a reason.' };
}

function describeThrown(payload: string): string {
  const value = parseJson(payload);
  if (value.ok && isRecord(value.value)) {
    const { message, digest } = value.value;
    if (typeof message === 'string' && message !== '') return `The server action threw: ${message}`;
    if (typeof digest === 'string') return `The server action threw (digest ${digest}).`;
  }
  return 'The server action threw an error.';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
