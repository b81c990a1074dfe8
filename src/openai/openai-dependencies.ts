import type { ChatService, ModelDirectory } from '../core/chat/chat-types.js';
import type { Logger } from '../observability/logger.js';

/** Downloads a generated image for `response_format: "b64_json"`. */
export type FetchImage = (url: string, signal: AbortSignal) => Promise<{ bytes: Uint8Array; contentType: string }>;

/** What the OpenAI routes (`/health`, models, chat completions, images) need, built by the composition root. */
export interface OpenAIDependencies {
  chat: ChatService;
  models: ModelDirectory;
  logger: Logger;
  /** Extra fields for the `GET /health` body (built by core; must hold no secrets). */
  health: () => unknown;
  /** Interval of `: ping` comments on idle SSE streams; 0 disables them. */
  pingIntervalMs: number;
  /**
   * How long a streaming request waits for core's first output before committing to a 200 SSE
   * response. Failures within it are plain HTTP errors; later ones are in-stream error events.
   * @default 3000
   */
  headersGraceMs?: number;
  /** Downloads images for `b64_json`; `data:` URIs are decoded without it. */
  fetchImage?: FetchImage;
  /** The bridge version shown by `/health`. */
  version: string;
}
