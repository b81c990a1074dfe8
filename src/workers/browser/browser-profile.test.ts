import { symlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { assertProfileFree, profileDirFor } from './browser-profile.js';

const dir = useTempDir('bridge-profile-');

describe('browser profile', () => {
  it('lives in the data dir', () => {
    expect(profileDirFor('/data')).toBe(join('/data', 'browser-profile'));
  });

  it('keeps each named profile in its own folder, and refuses names that could leave it', () => {
    expect(profileDirFor('/data', 'alice')).toBe(join('/data', 'browser-profiles', 'alice'));
    expect(profileDirFor('/data', 'Work_2-b')).toBe(join('/data', 'browser-profiles', 'Work_2-b'));
    for (const name of ['', '..', '../etc', 'a/b', '.hidden', 'x'.repeat(41)]) {
      expect(() => profileDirFor('/data', name)).toThrow(/browser_profiles/);
    }
  });

  it('is free without a lock, or with a stale one', async () => {
    await expect(assertProfileFree(dir())).resolves.toBeUndefined();
    await symlink(`${hostname()}-4194304`, join(dir(), 'SingletonLock'));
    await expect(assertProfileFree(dir(), () => false)).resolves.toBeUndefined();
  });

  it('is refused, with what to do, while a live Chromium on this machine holds it', async () => {
    await symlink(`${hostname()}-${process.pid}`, join(dir(), 'SingletonLock'));
    await expect(assertProfileFree(dir())).rejects.toThrow(/in use by another Chromium \(pid \d+\).*lmarena-bridge serve/);
  });
});
