import { isBridgeError, UpstreamError } from '../core/errors/index.js';
import { parseDataUri } from './content-type-of-url.js';
import type { FetchImage } from './openai-dependencies.js';

/**
 * The bytes of a generated image as base64: `data:` URIs are decoded in place, anything else is
 * downloaded with `fetchImage`.
 */
export async function imageToBase64(url: string, fetchImage: FetchImage | undefined, signal: AbortSignal): Promise<string> {
  const dataUri = url.startsWith('data:') ? parseDataUri(url) : undefined;
  if (dataUri !== undefined) {
    const payload = url.slice(dataUri.payloadOffset);
    return dataUri.base64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  }
  if (fetchImage === undefined) {
    throw new UpstreamError('The model returned an image URL and this bridge cannot download images; request response_format "url" instead.');
  }
  try {
    const { bytes } = await fetchImage(url, signal);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  } catch (error) {
    if (isBridgeError(error)) throw error;
    throw new UpstreamError('Downloading the generated image failed; retry, or request response_format "url".', { cause: error });
  }
}
