import type { BridgeConfig } from '../config/index.js';
import { z } from 'zod';
import { formatZodIssues } from '../shared/format-zod-issues.js';

/** Options of {@link callBridge}. */
export interface BridgeCall {
  /** Base URL of the running bridge, e.g. `http://127.0.0.1:5102`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey: string | undefined;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  timeoutMs: number;
}

const errorBodySchema = z.object({ error: z.object({ message: z.string(), code: z.string().nullable().optional() }) });

/** A failed call to a running bridge, with a message fit for the terminal. */
export class BridgeCallError extends Error {
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(message: string, status?: number, code?: string) {
    super(message);
    this.name = 'BridgeCallError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Where the CLI finds a running bridge: `--bridge-url`, else the configured host and port (a
 * wildcard bind is reached through loopback).
 */
export function bridgeUrlFrom(flag: string | boolean | undefined, config: BridgeConfig): string {
  if (typeof flag === 'string' && flag.trim() !== '') return flag.trim().replace(/\/+$/, '');
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host === '::' ? '[::1]' : config.server.host;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${shown}:${config.server.port}`;
}

/** Calls the bridge's HTTP API and parses the JSON answer with `schema`; throws BridgeCallError on every failure. */
export async function callBridge<T>(call: BridgeCall, schema: z.ZodType<T>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.apiKey !== undefined) headers['authorization'] = `Bearer ${call.apiKey}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${call.baseUrl}${call.path}`, {
      method: call.method,
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${Math.round(call.timeoutMs / 1000)} s` : describeFetchError(error);
    throw new BridgeCallError(`Cannot reach the bridge at ${call.baseUrl} (${reason}). Start it with \`lmarena-bridge serve\`, or point to it with --bridge-url.`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new BridgeCallError(`${call.baseUrl}${call.path} answered HTTP ${response.status} with a body that is not JSON; is that an LMArena Bridge?`, response.status);
  }
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(json);
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    const code = parsed.success ? (parsed.data.error.code ?? undefined) : undefined;
    const hint = response.status === 401 ? ' Pass the bridge\'s key with --api-key (or BRIDGE_API_KEY, or api_key in config.jsonc).' : '';
    throw new BridgeCallError(`The bridge answered HTTP ${response.status}: ${message}${hint}`, response.status, code);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new BridgeCallError(`${call.baseUrl}${call.path} answered an unexpected body (${formatZodIssues(parsed.error.issues, 1) || 'invalid'}); are the CLI and the bridge the same version?`);
  }
  return parsed.data;
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
