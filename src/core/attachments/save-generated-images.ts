import type { Logger } from '../../observability/logger.js';
import type { ChatEvent, ChatService } from '../chat-types.js';
import { decodeDataUri } from './decode-data-uri.js';
import type { HostedFiles } from './hosted-files.js';

/** What {@link withSavedGeneratedImages} needs. */
export interface SavedImagesOptions {
  files: HostedFiles;
  /** Downloads an image URL (size-capped). */
  fetchImage: (url: string, signal: AbortSignal) => Promise<{ bytes: Uint8Array; contentType: string }>;
  logger: Logger;
}

/**
 * Wraps a chat service so that every generated image is copied into the bridge's file host and the
 * answer points at the copy (`save_generated_images`): markdown links, `/v1/images/generations`
 * URLs and `b64_json` all then use the local file, which outlives the arena's URL. When a copy
 * fails the arena's URL is kept and the failure is logged at debug level.
 */
export function withSavedGeneratedImages(chat: ChatService, options: SavedImagesOptions): ChatService {
  async function save(event: Extract<ChatEvent, { type: 'image' }>, signal: AbortSignal): Promise<ChatEvent> {
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

  async function* rewrite(events: AsyncIterable<ChatEvent[]>, signal: AbortSignal): AsyncGenerator<ChatEvent[]> {
    for await (const batch of events) {
      yield batch.some((event) => event.type === 'image')
        ? await Promise.all(batch.map((event) => (event.type === 'image' ? save(event, signal) : event)))
        : batch;
    }
  }

  return {
    async chat(request, signal) {
      const answer = await chat.chat(request, signal);
      return { ...answer, events: rewrite(answer.events, signal) };
    },
  };
}
