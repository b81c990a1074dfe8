import { buildServerAction, parseServerActionResponse, PATHS } from '../../arena/index.js';
import type { ArenaAttachment } from '../../arena/index.js';
import type { ServerActionName } from '../../arena/constants.js';
import { z } from 'zod';
import { formatZodIssues } from '../../shared/format-zod-issues.js';
import type { WorkerConnection } from '../../workers/types.js';
import type { ActionIdCache } from './action-id-cache.js';
import { runWorkerJob, shortUrl } from '../pool/run-worker-job.js';

/** A failure of the arena's upload flow, with the step that failed. */
export class ArenaUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArenaUploadError';
  }
}

/** What {@link uploadThroughArena} uploads. */
export interface ArenaUploadInput {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A server action answered 404 "Server action not found": the cached id belongs to an old build. */
const STALE_STATUS = 404;

/**
 * The upload flow of §8.2, performed in the page through `worker`: `generateUploadUrl`, `PUT` of
 * the bytes to the returned URL, `getSignedUrl`. A stale action id (404) makes the ids be
 * discovered again, once, and the action retried.
 */
export async function uploadThroughArena(
  input: ArenaUploadInput,
  worker: WorkerConnection,
  actionIds: ActionIdCache,
  signal: AbortSignal,
): Promise<ArenaAttachment> {
  const generated = await callAction('generateUploadUrl', [input.name, input.contentType], worker, actionIds, signal);
  const { uploadUrl, key } = readData(generateUploadUrlData, generated, 'generateUploadUrl');

  const put = await runWorkerJob(
    worker,
    { method: 'PUT', url: uploadUrl, headers: { 'Content-Type': input.contentType }, body: { kind: 'base64', value: Buffer.from(input.bytes).toString('base64') } },
    signal,
    64 * 1024,
  );
  if (put.status < 200 || put.status >= 300) {
    throw new ArenaUploadError(`Uploading the bytes to ${shortUrl(uploadUrl)} failed with HTTP ${put.status}${storageReason(put.body)}.`);
  }

  const signed = await callAction('getSignedUrl', [key], worker, actionIds, signal);
  const { url } = readData(getSignedUrlData, signed, 'getSignedUrl');
  return { name: key, contentType: input.contentType, url };
}

async function callAction(
  name: ServerActionName,
  args: unknown[],
  worker: WorkerConnection,
  actionIds: ActionIdCache,
  signal: AbortSignal,
): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    const actionId = await actionIds.get(name, worker, signal);
    const request = buildServerAction({ actionId, pagePath: PATHS.imagePage, args });
    const answer = await runWorkerJob(worker, request, signal, 1024 * 1024);
    if (answer.status === STALE_STATUS && attempt === 0) {
      actionIds.invalidate();
      continue;
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new ArenaUploadError(`The server action ${name} answered HTTP ${answer.status}${answer.status === STALE_STATUS ? ' even after the action ids were read again' : ''}.`);
    }
    const result = parseServerActionResponse(answer.body);
    if (!result.ok) throw new ArenaUploadError(`The server action ${name} failed: ${result.error}`);
    return result.data;
  }
}

const generateUploadUrlData = z.object({ uploadUrl: z.url({ protocol: /^https?$/ }), key: z.string().min(1) });
const getSignedUrlData = z.object({ url: z.url({ protocol: /^https?$/ }) });

function readData<T>(schema: z.ZodType<T>, data: unknown, action: ServerActionName): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ArenaUploadError(`The server action ${action} answered an unexpected shape (${formatZodIssues(parsed.error.issues)}).`);
}

/** The `<Message>` of an S3-style XML error, for the error text. */
function storageReason(body: string): string {
  const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
  return message === undefined ? '' : ` (${message})`;
}
