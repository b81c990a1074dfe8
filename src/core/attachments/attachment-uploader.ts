import { startSharedTask, type SharedTask } from './shared-task.js';
import { createHash } from 'node:crypto';
import type { ArenaAttachment } from '../../arena/index.js';
import type { Logger } from '../../observability/logger.js';
import type { ChatAttachment } from '../chat/chat-types.js';
import { ClientAbortError, InvalidRequestError, isBridgeError, UpstreamError } from '../errors/index.js';
import type { WorkerPool } from '../pool/pool-types.js';
import { createActionIdCache } from './action-id-cache.js';
import { uploadThroughArena } from './arena-upload.js';
import { decodeDataUri } from './decode-data-uri.js';
import { AttachmentDownloadError, downloadAttachment } from './download-attachment.js';
import type { FileBedClient } from './file-bed-client.js';
import { signedUrlExpiresAt } from './signed-url-expiry.js';
import { sniffContentType } from './sniff-content-type.js';

/** An attachment's bytes, loaded from its `data:` URI or downloaded from its http(s) URL. */
export interface LoadedAttachment {
  name: string | undefined;
  contentType: string;
  bytes: Buffer;
}

/** What {@link createAttachmentUploader} needs. */
export interface AttachmentUploaderOptions {
  workers: Pick<WorkerPool, 'acquire'>;
  logger: Logger;
  /** Largest attachment, in bytes. @default 20 MiB */
  maxBytes?: number;
  /** Deadline for downloading a client's http(s) attachment URL. @default 30000 */
  downloadTimeoutMs?: number;
  /** When set, attachments go to this external file bed instead of the arena's storage (§11.8). */
  fileBed?: FileBedClient;
  /** Uploads kept for re-use (by content hash). @default 256 */
  cacheSize?: number;
  now?: () => number;
}

/** Uploads attachments so that an arena request can carry them (§8). */
export interface AttachmentUploader {
  /** Uploads one client attachment (native flow, or the file bed when configured). */
  upload(attachment: ChatAttachment, signal: AbortSignal): Promise<ArenaAttachment>;
  /** Uploads a text as a `text/plain` file named `name` (e.g. a prompt's overflow). */
  uploadText(name: string, text: string, signal: AbortSignal): Promise<ArenaAttachment>;
  /** Uploads bytes already loaded (see {@link AttachmentUploader.load}). */
  uploadLoaded(file: LoadedAttachment, signal: AbortSignal): Promise<ArenaAttachment>;
  /** Reads an attachment's bytes: decodes a `data:` URI or downloads an http(s) URL. */
  load(attachment: ChatAttachment, signal: AbortSignal): Promise<LoadedAttachment>;
}

const UNKNOWN_TYPE = 'application/octet-stream';
/** Signed URLs are re-used only while they stay valid this much longer, so a request can still use them. */
const EXPIRY_MARGIN_MS = 120_000;
const UNKNOWN_EXPIRY_MS = 5 * 60_000;

/**
 * Creates the uploader: attachments go through the arena's upload flow in a page (§8.2, action ids
 * discovered and re-discovered when stale, §8.3), or to the file bed; uploads are cached by SHA-256
 * of content and type until their signed URL is about to expire, and concurrent uploads of the same
 * bytes share one flow.
 *
 * @example
 * const uploader = createAttachmentUploader({ workers: pool, logger });
 * const attachment = await uploader.upload({ contentType: 'image/png', url: 'data:image/png;base64,…' }, signal);
 */
export function createAttachmentUploader(options: AttachmentUploaderOptions): AttachmentUploader {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const downloadTimeoutMs = options.downloadTimeoutMs ?? 30_000;
  const cacheSize = options.cacheSize ?? 256;
  const now = options.now ?? Date.now;
  const actionIds = createActionIdCache();
  const cache = new Map<string, { attachment: ArenaAttachment; validUntil: number }>();
  const inFlight = new Map<string, SharedTask<{ attachment: ArenaAttachment; validUntil: number }>>();

  async function load(attachment: ChatAttachment, signal: AbortSignal): Promise<LoadedAttachment> {
    const label = attachment.name ?? attachment.url.slice(0, 40);
    if (attachment.url.startsWith('data:')) {
      const decoded = decodeDataUri(attachment.url);
      if (decoded === undefined) throw new InvalidRequestError(`The attachment ${label} is not a valid data: URI.`, { code: 'unsupported_attachment' });
      checkSize(decoded.bytes.length, label);
      return { name: attachment.name, contentType: typeOf(attachment.contentType, decoded.contentType, decoded.bytes), bytes: decoded.bytes };
    }
    if (!/^https?:\/\//i.test(attachment.url)) {
      throw new InvalidRequestError(`The attachment ${label} is neither a data: URI nor an http(s) URL.`, { code: 'unsupported_attachment' });
    }
    try {
      const downloaded = await downloadAttachment(attachment.url, { maxBytes, timeoutMs: downloadTimeoutMs, signal });
      const name = attachment.name ?? lastSegment(attachment.url);
      return { name, contentType: typeOf(attachment.contentType, downloaded.contentType, downloaded.bytes), bytes: downloaded.bytes };
    } catch (error) {
      if (signal.aborted) throw new ClientAbortError('The client cancelled the request.');
      if (error instanceof AttachmentDownloadError) {
        throw new InvalidRequestError(`${error.message} Send the file inline as a data: URI instead.`, {
          code: error.tooLarge ? 'attachment_too_large' : 'invalid_request',
          cause: error,
        });
      }
      throw error;
    }
  }

  function checkSize(size: number, label: string): void {
    if (size <= maxBytes) return;
    throw new InvalidRequestError(`The attachment ${label} is ${size} bytes; the bridge uploads attachments of at most ${maxBytes} bytes.`, { code: 'attachment_too_large' });
  }

  async function uploadFresh(file: LoadedAttachment, name: string, signal: AbortSignal): Promise<{ attachment: ArenaAttachment; validUntil: number }> {
    if (options.fileBed) {
      const url = await options.fileBed.upload({ name, contentType: file.contentType, bytes: file.bytes }, signal);
      return { attachment: { name, contentType: file.contentType, url }, validUntil: now() + UNKNOWN_EXPIRY_MS };
    }
    const lease = await options.workers.acquire({ signal, streamRequest: false });
    try {
      const attachment = await uploadThroughArena({ name, contentType: file.contentType, bytes: file.bytes }, lease.worker, actionIds, signal);
      const expiresAt = signedUrlExpiresAt(attachment.url);
      return { attachment, validUntil: expiresAt === undefined ? now() + UNKNOWN_EXPIRY_MS : expiresAt - EXPIRY_MARGIN_MS };
    } finally {
      lease.release();
    }
  }

  async function uploadLoaded(file: LoadedAttachment, signal: AbortSignal): Promise<ArenaAttachment> {
    const name = file.name ?? `file.${file.contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin'}`;
    const key = `${createHash('sha256').update(file.bytes).digest('hex')}:${file.contentType}`;
    const hit = cache.get(key);
    if (hit && hit.validUntil > now()) {
      options.logger.debug('Attachment upload re-used', { contentType: file.contentType, bytes: file.bytes.length });
      return hit.attachment;
    }
    cache.delete(key);
    let pending = inFlight.get(key);
    if (pending === undefined) {
      // Callers uploading the same bytes wait for one upload; one of them leaving does not fail it.
      pending = startSharedTask((shared) => uploadFresh(file, name, shared).finally(() => inFlight.delete(key)));
      inFlight.set(key, pending);
    }
    try {
      const fresh = await pending.join(signal);
      cache.set(key, fresh);
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value ?? '');
      options.logger.debug('Attachment uploaded', { contentType: file.contentType, bytes: file.bytes.length, via: options.fileBed ? 'file-bed' : 'arena' });
      return fresh.attachment;
    } catch (error) {
      if (signal.aborted) throw new ClientAbortError('The client cancelled the request.');
      if (isBridgeError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new UpstreamError(`Uploading the attachment ${name} ${options.fileBed ? 'to the file bed' : 'through LMArena'} failed: ${reason}`, { cause: error });
    }
  }

  return {
    load,
    uploadLoaded,
    async upload(attachment, signal) {
      return uploadLoaded(await load(attachment, signal), signal);
    },
    async uploadText(name, text, signal) {
      const bytes = Buffer.from(text, 'utf8');
      checkSize(bytes.length, name);
      return uploadLoaded({ name, contentType: 'text/plain', bytes }, signal);
    },
  };
}

/** The declared type unless it is unknown; then the server's, then one sniffed from the bytes. */
function typeOf(declared: string, found: string | undefined, bytes: Uint8Array): string {
  if (declared !== UNKNOWN_TYPE && declared !== '') return declared;
  if (found !== undefined && found !== UNKNOWN_TYPE) return found;
  return sniffContentType(bytes) ?? UNKNOWN_TYPE;
}

function lastSegment(url: string): string | undefined {
  try {
    const segment = new URL(url).pathname.split('/').pop();
    return segment === undefined || segment === '' ? undefined : decodeURIComponent(segment).replace(/[^\w.-]/g, '_').slice(0, 100);
  } catch {
    return undefined;
  }
}
