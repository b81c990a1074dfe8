import { chmod, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { ensureDataDir } from './ensure-data-dir.js';

const dir = useTempDir('bridge-datadir-');
afterEach(async () => {
  await chmod(dir(), 0o700).catch(() => undefined);
});

const isRoot = process.getuid?.() === 0;

describe('ensureDataDir', () => {
  it('creates missing parents with mode 0700 and accepts an existing directory', async () => {
    const path = join(dir(), 'a', 'b');
    await ensureDataDir(path);
    expect((await stat(path)).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o700);
    await expect(ensureDataDir(path)).resolves.toBeUndefined();
  });

  it('fails clearly when a file is in the way', async () => {
    const path = join(dir(), 'file');
    await writeFile(path, 'x');
    await expect(ensureDataDir(path)).rejects.toMatchObject({ name: 'StorageError', code: 'data_dir_unusable' });
    await expect(ensureDataDir(join(path, 'below'))).rejects.toThrow(/a file is in the way.*--data-dir or BRIDGE_DATA_DIR/);
  });

  it.skipIf(isRoot || process.platform === 'win32')('fails clearly when the directory is not writable', async () => {
    const path = join(dir(), 'locked');
    await ensureDataDir(path);
    await chmod(path, 0o500);
    await expect(ensureDataDir(path)).rejects.toThrow(/is not writable/);
  });
});
