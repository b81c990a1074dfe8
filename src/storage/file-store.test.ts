import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { createFileStore, FILE_ID_PATTERN, FileTooLargeError } from './file-store.js';

const directory = useTempDir('file-store-');
let clock = 1_000_000;
beforeEach(() => {
  clock = 1_000_000;
});

const storeFor = (maxBytes = 1024) => createFileStore({ directory: join(directory(), 'files'), maxBytes, ttlMs: 60_000, now: () => clock });

describe('createFileStore', () => {
  it('stores under unguessable ids and serves until the time-to-live passes', async () => {
    const store = storeFor();
    const first = await store.put({ name: 'a.png', contentType: 'image/png', bytes: Buffer.from('one') });
    const second = await store.put({ name: 'a.png', contentType: 'image/png', bytes: Buffer.from('one') });
    expect(first.id).toMatch(FILE_ID_PATTERN);
    expect(first.id).not.toBe(second.id);
    expect((await store.get(first.id))?.bytes.toString()).toBe('one');
    clock += 60_000;
    expect(await store.get(first.id)).toBeUndefined();
    expect(await store.cleanup()).toBe(1);
    expect(await readdir(join(directory(), 'files'))).toEqual([]);
  });

  it('refuses files over the limit', async () => {
    await expect(storeFor(2).put({ name: 'x', contentType: 'text/plain', bytes: Buffer.from('abc') })).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('never resolves ids that are not in its own pattern', async () => {
    await writeFile(join(directory(), 'secret.txt'), 'secret');
    const store = storeFor();
    await store.put({ name: 'a', contentType: 'text/plain', bytes: Buffer.from('a') });
    for (const id of ['../secret.txt', '..', '/etc/passwd', `${directory()}/secret.txt`, 'AAAAAAAAAAAAAAAAAAAAAAAA/../../secret.txt', '']) {
      expect(await store.get(id), id).toBeUndefined();
    }
  });
});
