import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

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
