import { describe, expect, it } from 'vitest';
import { allocatorTuning, MMAP_THRESHOLD_BYTES } from './tune-allocator.js';

const linux = { platform: 'linux' as const, env: { HOME: '/root' }, glibcVersion: '2.36', canExec: true };

describe('allocatorTuning', () => {
  it('fixes the mmap threshold on glibc Linux, keeping the rest of the environment', () => {
    expect(allocatorTuning(linux)).toEqual({ HOME: '/root', MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES) });
  });

  it('leaves a threshold the user set, other C libraries, other systems and old Node alone', () => {
    expect(allocatorTuning({ ...linux, env: { MALLOC_MMAP_THRESHOLD_: '65536' } })).toBeUndefined();
    expect(allocatorTuning({ ...linux, glibcVersion: undefined })).toBeUndefined();
    expect(allocatorTuning({ ...linux, platform: 'darwin' })).toBeUndefined();
    expect(allocatorTuning({ ...linux, canExec: false })).toBeUndefined();
  });
});
