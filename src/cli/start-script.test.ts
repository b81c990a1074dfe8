import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDirForTest } from '../../test/support/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** The Node flags of `npm start` (the `--…` words before the script path). */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  expect(start[0]).toBe('node');
  expect(start).toContain('dist/src/cli/main.js');
  return start.slice(1, start.indexOf('dist/src/cli/main.js'));
}

describe('npm start', () => {
  it('runs serve with Node flags this Node accepts, which keep the young generation small', async () => {
    // Allocates as a busy bridge does (mostly short-lived objects, some kept a while), then prints
    // how large the young generation grew.
    const probe = [
      'const keep = [];',
      'for (let i = 0; i < 3e6; i += 1) { const o = { i, s: `x${i}` }; if (i % 64 === 0) keep.push(o); if (keep.length > 20000) keep.length = 0; }',
      "const s = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');",
      'console.log(s.space_size);',
    ].join('\n');
    const [flagged, plain] = await Promise.all([
      run(process.execPath, [...startFlags(), '-e', probe]),
      run(process.execPath, ['-e', probe]),
    ]);
    expect(flagged.stderr).toBe('');
    expect(Number(flagged.stdout)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(Number(flagged.stdout)).toBeLessThan(Number(plain.stdout));
  });
});

describe.skipIf(process.platform !== 'linux' || typeof process.execve !== 'function')('serve on glibc Linux', () => {
  it('runs with a fixed mmap threshold, in the process it was started as, unless the user set one', async () => {
    const dataDir = await tempDirForTest('bridge-allocator-');
    const environOf = async (env: NodeJS.ProcessEnv): Promise<string[]> => {
      const child = spawn(process.execPath, [...startFlags(), join(root, 'dist/src/cli/main.js'), 'serve', '--port', '0', '--browser', 'off', '--data-dir', dataDir, '--log-level', 'error'], {
        env, stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          let output = '';
          child.stdout.on('data', (data: Buffer) => {
            output += data.toString();
            if (output.includes('OpenAI base URL')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
        });
        // Same pid: the environment of the process that answers is the one it was replaced with.
        return readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    };
    const base = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
    expect(await environOf(base)).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    const chosen = await environOf({ ...base, MALLOC_MMAP_THRESHOLD_: '65536' });
    expect(chosen).toContain('MALLOC_MMAP_THRESHOLD_=65536');
    expect(chosen).not.toContain('MALLOC_MMAP_THRESHOLD_=131072');
  }, 30_000);
});
