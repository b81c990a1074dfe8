import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * A stored file's id: 24 base64url characters (144 random bits), optionally followed by a short
 * lowercase extension so that fetchers can guess the type from the URL. Nothing else is ever used
 * to build a path.
 */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{24}(\.[a-z0-9]{1,8})?$/;

/** A stored file's description. */
export interface StoredFileInfo {
  id: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: number;
  expiresAt: number;
}

/** What {@link createFileStore} needs. */
export interface FileStoreOptions {
  /** Where files live (created on first use), e.g. `<data dir>/files`. */
  directory: string;
  /** Largest file, in bytes. */
  maxBytes: number;
  /** How long a file is kept, in milliseconds. */
  ttlMs: number;
  /** @default Date.now */
  now?: () => number;
}

/** Why a file was refused. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
}

/** Files with unguessable ids and a time-to-live, kept in the data directory. */
export interface FileStore {
  readonly maxBytes: number;
  put(file: { name: string; contentType: string; bytes: Uint8Array }): Promise<StoredFileInfo>;
  /** The file and its bytes; undefined for unknown, malformed or expired ids. */
  get(id: string): Promise<{ info: StoredFileInfo; bytes: Buffer } | undefined>;
  /** Deletes every expired file; resolves with how many were removed. */
  cleanup(): Promise<number>;
  /** Runs {@link FileStore.cleanup} every `intervalMs` until {@link FileStore.stop}. */
  startCleanup(intervalMs: number): void;
  stop(): void;
}

const metaSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
const META_SUFFIX = '.meta.json';

/** Creates the file store of the built-in file host. */
export function createFileStore(options: FileStoreOptions): FileStore {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  const dataPath = (id: string): string => join(options.directory, `${id}.bin`);
  const metaPath = (id: string): string => join(options.directory, `${id}${META_SUFFIX}`);

  async function remove(id: string): Promise<void> {
    await rm(dataPath(id), { force: true });
    await rm(metaPath(id), { force: true });
  }

  async function readInfo(id: string): Promise<StoredFileInfo | undefined> {
    try {
      return metaSchema.parse(JSON.parse(await readFile(metaPath(id), 'utf8')));
    } catch {
      return undefined;
    }
  }

  const store: FileStore = {
    maxBytes: options.maxBytes,
    async put(file) {
      if (file.bytes.byteLength > options.maxBytes) {
        throw new FileTooLargeError(`The file is ${file.bytes.byteLength} bytes; the file host keeps files of at most ${options.maxBytes} bytes (file_host_max_mb).`);
      }
      await mkdir(options.directory, { recursive: true, mode: 0o700 });
      const extension = extensionOf(file.name, file.contentType);
      const id = `${randomBytes(18).toString('base64url')}${extension}`;
      const createdAt = now();
      const info: StoredFileInfo = {
        id,
        name: file.name.replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'file',
        contentType: file.contentType,
        size: file.bytes.byteLength,
        createdAt,
        expiresAt: createdAt + options.ttlMs,
      };
      await writeFileAtomic(dataPath(id), file.bytes);
      // The description is written last, so a file is never visible before its bytes are complete.
      await writeFileAtomic(metaPath(id), JSON.stringify(info));
      return info;
    },
    async get(id) {
      if (!FILE_ID_PATTERN.test(id)) return undefined;
      const info = await readInfo(id);
      if (info === undefined || info.id !== id) return undefined;
      if (info.expiresAt <= now()) {
        await remove(id);
        return undefined;
      }
      try {
        return { info, bytes: await readFile(dataPath(id)) };
      } catch {
        return undefined;
      }
    },
    async cleanup() {
      let names: string[];
      try {
        names = await readdir(options.directory);
      } catch {
        return 0;
      }
      let removed = 0;
      for (const name of names) {
        if (name.endsWith('.tmp') && (await isOlderThan(join(options.directory, name), now() - options.ttlMs))) {
          await rm(join(options.directory, name), { force: true });
          continue;
        }
        if (!name.endsWith(META_SUFFIX)) continue;
        const id = name.slice(0, -META_SUFFIX.length);
        if (!FILE_ID_PATTERN.test(id)) continue;
        const info = await readInfo(id);
        if (info === undefined || info.expiresAt <= now()) {
          await remove(id);
          removed += 1;
        }
      }
      return removed;
    },
    startCleanup(intervalMs) {
      if (timer !== undefined) return;
      timer = setInterval(() => void store.cleanup().catch(() => undefined), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  return store;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/markdown': '.md',
  'application/json': '.json',
};

/** A safe extension: from the content type, else the name's when it is short and plain. */
function extensionOf(name: string, contentType: string): string {
  const known = EXTENSIONS[contentType];
  if (known !== undefined) return known;
  const match = /\.([a-z0-9]{1,8})$/i.exec(name);
  return match?.[1] === undefined ? '' : `.${match[1].toLowerCase()}`;
}

async function isOlderThan(path: string, time: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs < time;
  } catch {
    return false;
  }
}
