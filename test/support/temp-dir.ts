/**
 * Temporary directories for tests: each is a fresh directory under the OS temporary directory,
 * removed with everything in it when the test (or the file) that made it is over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, onTestFinished } from 'vitest';

/** A directory of its own; `remove()` deletes it and its contents (and tolerates it being gone). */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Makes a temporary directory whose removal the caller owns (a harness with its own `close()`).
 * @param prefix the start of the directory's name. @default 'lmarena-bridge-test-'
 */
export async function createTempDir(prefix = 'lmarena-bridge-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Inside a test: a temporary directory removed once the test has finished, after its afterEach hooks. */
export async function tempDirForTest(prefix?: string): Promise<string> {
  const dir = await createTempDir(prefix);
  onTestFinished(() => dir.remove());
  return dir.path;
}

/**
 * At the top of a file or `describe`: a fresh temporary directory for every test (`'each'`) or one
 * for the whole block (`'all'`), returned by the getter. Call it before the block's own hooks:
 * hooks run in reverse order on the way out, so theirs (closing a database in it, say) run before
 * the directory is removed.
 * @example const dir = useTempDir('bridge-state-'); … join(dir(), 'state.db')
 */
export function useTempDir(prefix?: string, scope: 'each' | 'all' = 'each'): () => string {
  let current: TempDir | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    current = await createTempDir(prefix);
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await current?.remove();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('useTempDir: the directory exists only while a test runs.');
    return current.path;
  };
}
