/**
 * The attachment parts of the composition root: the arena uploader (with the file bed when
 * configured), the data-dir file store behind the built-in file host and its routes, and the
 * copies of generated images. Built here so that server.ts only wires them in.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BridgeConfig } from './config/index.js';
import { describeNonPublicUrl } from './config/public-url.js';
import type { AnswerBatchRewriter, AttachmentPreparer, AttachmentUploader, HostedFiles, WorkerSource } from './core/index.js';
import { createAttachmentPreparer, createAttachmentUploader, createFileBedClient, createGeneratedImageSaver } from './core/index.js';
import { createImageFetcher } from './core/fetch-image.js';
import type { Logger } from './observability/logger.js';
import { registerFileHostRoutes } from './openai/routes/files-route.js';
import { createFileStore } from './storage/index.js';

/** What {@link createAttachmentParts} needs. */
export interface AttachmentPartsOptions {
  config: BridgeConfig;
  logger: Logger;
  workers: WorkerSource;
  /** The bridge's own URL (known after listen). */
  bridgeUrl: () => string;
}

/** The built attachment parts. */
export interface AttachmentParts {
  uploader: AttachmentUploader;
  attachments: AttachmentPreparer;
  /** Replaces generated images by local copies when `save_generated_images` is on. */
  saveImages?: AnswerBatchRewriter;
  /** Registers `/files/*` (and the upload endpoints when the file host is enabled). */
  registerRoutes(app: FastifyInstance): Promise<void>;
  /** Starts the cleanup timer and warns about an unreachable public URL. */
  start(): void;
  close(): void;
}

/** Builds the uploader, the preparer and (when enabled) the file host. */
export function createAttachmentParts(options: AttachmentPartsOptions): AttachmentParts {
  const { config, logger } = options;
  const host = config.fileHost;
  const storeNeeded = host.enabled || host.saveGeneratedImages;
  const ttlMs = host.ttlMinutes * 60_000;
  const store = storeNeeded ? createFileStore({ directory: join(config.dataDir, 'files'), maxBytes: Math.floor(host.maxMb * 1024 * 1024), ttlMs }) : undefined;
  const publicBaseUrl = (): string => host.publicUrl ?? options.bridgeUrl();
  const hostedFiles: HostedFiles | undefined = store && {
    put: async (file) => {
      const info = await store.put(file);
      return { id: info.id, url: `${publicBaseUrl()}/files/${info.id}` };
    },
  };
  const fileBed = config.fileBed.enabled ? createFileBedClient({ uploadUrl: config.fileBed.uploadUrl, apiKey: config.fileBed.apiKey }) : undefined;
  const uploader = createAttachmentUploader({ workers: options.workers, logger, fileBed });
  const attachments = createAttachmentPreparer({
    uploader,
    protocol: config.arena.protocol,
    fileBed: fileBed !== undefined,
    hostedFiles: host.enabled ? hostedFiles : undefined,
  });

  return {
    uploader,
    attachments,
    ...(host.saveGeneratedImages && hostedFiles ? { saveImages: createGeneratedImageSaver({ files: hostedFiles, fetchImage: createImageFetcher(), logger }) } : {}),
    registerRoutes: async (app) => {
      if (!store) return;
      await registerFileHostRoutes(app, { files: store, uploadKey: host.enabled ? host.uploadKey : undefined, publicBaseUrl });
    },
    start: () => {
      if (!store) return;
      store.startCleanup(Math.min(Math.max(ttlMs / 4, 10_000), 5 * 60_000));
      const problem = host.enabled ? describeNonPublicUrl(publicBaseUrl()) : undefined;
      if (problem !== undefined) {
        logger.warn('The file host URL is not reachable from the arena\'s servers; set file_host_public_url to a public URL that reaches this bridge', {
          url: publicBaseUrl(),
          reason: problem,
        });
      }
    },
    close: () => store?.stop(),
  };
}
