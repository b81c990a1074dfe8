import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { writeFileAtomic } from './write-file-atomic.js';

const dir = useTempDir('bridge-atomic-');

describe('writeFileAtomic', () => {
  it('creates a file with mode 0600 and leaves no temporary file', async () => {
    const path = join(dir(), 'state.json');
    await writeFileAtomic(path, '{"a":1}');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir())).toEqual(['state.json']);
  });

  it('replaces existing content, also with bytes', async () => {
    const path = join(dir(), 'state.bin');
    await writeFile(path, 'old content that is longer');
    await writeFileAtomic(path, new Uint8Array([104, 105]));
    expect(await readFile(path, 'utf8')).toBe('hi');
  });

  it('removes its temporary file when the rename fails', async () => {
    const target = join(dir(), 'is-a-directory');
    await mkdir(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect((await readdir(dir())).sort()).toEqual(['is-a-directory']);
  });

  it('fails when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir(), 'missing', 'file'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
