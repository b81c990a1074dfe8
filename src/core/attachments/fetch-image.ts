/**
 * Downloads a generated image for `response_format: "b64_json"`. Arena image URLs point at the
 * site's public storage, so the bridge fetches them directly; the size is capped so a wrong URL
 * cannot make the bridge buffer an unbounded body.
 */
import { UpstreamError } from '../errors/index.js';

/** Largest image the bridge will download, in bytes. @default 32 MiB */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;

/** Creates the `fetchImage` dependency of the HTTP surface. */
export function createImageFetcher(maxBytes: number = MAX_IMAGE_BYTES) {
  return async (url: string, signal: AbortSignal): Promise<{ bytes: Uint8Array; contentType: string }> => {
    const response = await fetch(url, { signal });
    if (!response.ok || response.body === null) {
      throw new UpstreamError(`Downloading the generated image failed with HTTP ${response.status}. Ask for response_format "url" instead.`);
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new UpstreamError(`The generated image is larger than ${maxBytes} bytes. Ask for response_format "url" instead.`);
      }
      parts.push(read.value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return { bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  };
}
