import { z } from 'zod';

/** A non-stream error body reduced to its text and optional `code` (§10.2). */
export interface ErrorBody {
  /** The upstream message, or the trimmed body text when it is not one of the JSON shapes. */
  message: string;
  code?: string;
  /** True when the body was JSON. */
  json: boolean;
}

const MAX_MESSAGE_LENGTH = 500;

const errorBodySchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string().optional(), code: z.string().optional() }).loose()]).optional(),
  message: z.string().optional(),
  detail: z.union([z.string(), z.object({ message: z.string().optional() }).loose()]).optional(),
  code: z.union([z.string(), z.number()]).optional(),
}).loose();

/**
 * Reads the four JSON shapes bridges accept (`{"error":"…"}`, `{"error":{"message":"…"}}`,
 * `{"message":"…"}`, `{"detail":"…"}`), each optionally with `code`; any other body is kept as
 * (trimmed, shortened) text.
 */
export function parseErrorBody(body: string): ErrorBody {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      value = undefined;
    }
    const parsed = errorBodySchema.safeParse(value);
    if (parsed.success) {
      const shape = parsed.data;
      const message =
        (typeof shape.error === 'string' ? shape.error : shape.error?.message) ??
        shape.message ??
        (typeof shape.detail === 'string' ? shape.detail : shape.detail?.message) ??
        '';
      const rawCode = shape.code ?? (typeof shape.error === 'object' ? shape.error.code : undefined);
      const result: ErrorBody = { message: shorten(message), json: true };
      if (rawCode !== undefined) result.code = String(rawCode);
      return result;
    }
  }
  return { message: shorten(trimmed), json: false };
}

function shorten(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
