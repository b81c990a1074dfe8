import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { StorageError } from './storage-error.js';

/**
 * Creates the data directory (and its parents) with mode 0700 if missing, and checks that it is a
 * writable directory.
 * @throws StorageError `data_dir_unusable` saying what is wrong and how to choose another one.
 */
export async function ensureDataDir(path: string): Promise<void> {
  const fix = 'Fix its permissions, or choose another directory with --data-dir or BRIDGE_DATA_DIR.';
  try {
    await mkdir(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const what = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code;
    throw new StorageError('data_dir_unusable', `Cannot create the data directory ${path} (${what}). ${fix}`, { cause: error });
  }
  if (!(await stat(path)).isDirectory()) {
    throw new StorageError('data_dir_unusable', `The data directory ${path} is not a directory. ${fix}`);
  }
  try {
    await access(path, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StorageError('data_dir_unusable', `The data directory ${path} is not writable. ${fix}`, { cause: error });
  }
}
