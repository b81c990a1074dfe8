import { z } from 'zod';

/** Options of {@link createFileBedClient} (`file_bed_upload_url`, `file_bed_api_key`). */
export interface FileBedOptions {
  uploadUrl: string;
  apiKey: string | undefined;
  /** @default 60000 */
  timeoutMs?: number;
}

/** An external file bed of the original bridge's kind (§11.8). */
export interface FileBedClient {
  /** Uploads a file and returns the URL it is served at. */
  upload(file: { name: string; contentType: string; bytes: Uint8Array }, signal: AbortSignal): Promise<string>;
}

const successSchema = z.object({ success: z.literal(true), filename: z.string().regex(/^[^/\\?#]+$/) });
const failureSchema = z.object({ detail: z.string() }).or(z.object({ error: z.string() })).or(z.object({ message: z.string() }));

/**
 * A client of the file-bed protocol (§11.8): `POST <upload url>` with JSON
 * `{file_name, file_data: data URI, api_key}` → `{success: true, filename}`; the file is then at
 * `<upload url minus its last segment>/uploads/<filename>`.
 */
export function createFileBedClient(options: FileBedOptions): FileBedClient {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    async upload(file, signal) {
      const body = JSON.stringify({
        file_name: file.name,
        file_data: `data:${file.contentType};base64,${Buffer.from(file.bytes).toString('base64')}`,
        api_key: options.apiKey ?? null,
      });
      let response: Response;
      try {
        response = await fetch(options.uploadUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new Error(`the file bed at ${options.uploadUrl} could not be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const ok = successSchema.safeParse(json);
      if (!response.ok || !ok.success) {
        const failure = failureSchema.safeParse(json);
        const reason = failure.success ? Object.values(failure.data)[0] : text.slice(0, 200);
        throw new Error(`the file bed at ${options.uploadUrl} answered HTTP ${response.status}: ${reason}`);
      }
      return new URL(`uploads/${encodeURIComponent(ok.data.filename)}`, new URL('.', options.uploadUrl)).href;
    },
  };
}
