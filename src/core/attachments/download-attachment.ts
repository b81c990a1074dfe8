/** A file the bridge downloaded for a client's http(s) attachment URL. */
export interface DownloadedAttachment {
  bytes: Buffer;
  /** The response's content type without parameters, when it sent one. */
  contentType: string | undefined;
}

/** Why a download failed, in words for the client. */
export class AttachmentDownloadError extends Error {
  readonly tooLarge: boolean;
  constructor(message: string, tooLarge = false) {
    super(message);
    this.name = 'AttachmentDownloadError';
    this.tooLarge = tooLarge;
  }
}

/** Options of {@link downloadAttachment}. */
export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Downloads an http(s) URL a client gave as an attachment, refusing bodies over `maxBytes` (checked
 * on `Content-Length` and while reading) and giving up after `timeoutMs`.
 */
export async function downloadAttachment(url: string, options: DownloadOptions): Promise<DownloadedAttachment> {
  const display = url.split('?', 1)[0] ?? url;
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    if (options.signal.aborted) throw error;
    const reason = signal.aborted ? `no answer within ${options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    throw new AttachmentDownloadError(`Downloading the attachment ${display} failed: ${reason}.`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => undefined);
    throw new AttachmentDownloadError(`Downloading the attachment ${display} failed with HTTP ${response.status}.`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new AttachmentDownloadError(`The attachment ${display} is ${declared} bytes; the limit is ${options.maxBytes}.`, true);
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AttachmentDownloadError(`The attachment ${display} is larger than ${options.maxBytes} bytes.`, true);
      }
      parts.push(read.value);
    }
  } catch (error) {
    if (error instanceof AttachmentDownloadError || options.signal.aborted) throw error;
    throw new AttachmentDownloadError(`Downloading the attachment ${display} failed: ${signal.aborted ? `no answer within ${options.timeoutMs} ms` : String(error)}.`);
  }
  const type = response.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  return { bytes: Buffer.concat(parts), contentType: type === '' ? undefined : type };
}
