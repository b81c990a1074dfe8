import type { Logger } from '../../observability/logger.js';
import type { AnswerEvent } from '../chat/chat-types.js';
import { decodeDataUri } from './decode-data-uri.js';
import type { HostedFiles } from './hosted-files.js';

/** What {@link createGeneratedImageSaver} needs. */
export interface SavedImagesOptions {
  files: HostedFiles;
  /** Downloads an image URL (size-capped). */
  fetchImage: (url: string, signal: AbortSignal) => Promise<{ bytes: Uint8Array; contentType: string }>;
  logger: Logger;
}

/** Rewrites a batch of answer events before the client (and the conversation map) sees it. */
export type AnswerBatchRewriter = (batch: AnswerEvent[], signal: AbortSignal) => Promise<AnswerEvent[]>;

/**
 * Copies every generated image of a batch into the bridge's file host and points the event at the
 * copy (`save_generated_images`): markdown links, `/v1/images/generations` URLs and `b64_json` all
 * then use the local file, which outlives the arena's URL. It runs inside the answer, before the
 * content is recorded, so the conversation is keyed by the links the client actually receives.
 * When a copy fails the arena's URL is kept and the failure is logged at debug level.
 */
export function createGeneratedImageSaver(options: SavedImagesOptions): AnswerBatchRewriter {
  async function save(event: Extract<AnswerEvent, { type: 'image' }>, signal: AbortSignal): Promise<AnswerEvent> {
    try {
      const inline = event.url.startsWith('data:') ? decodeDataUri(event.url) : undefined;
      const image = inline ?? (await options.fetchImage(event.url, signal));
      const contentType = event.mimeType ?? image.contentType;
      const stored = await options.files.put({ name: `generated.${contentType.split('/')[1] ?? 'png'}`, contentType, bytes: image.bytes });
      return { ...event, url: stored.url };
    } catch (error) {
      options.logger.debug('Generated image not copied; the arena URL is kept', { error: error instanceof Error ? error.message : String(error) });
      return event;
    }
  }

  return async (batch, signal) =>
    batch.some((event) => event.type === 'image') ? Promise.all(batch.map((event) => (event.type === 'image' ? save(event, signal) : event))) : batch;
}
