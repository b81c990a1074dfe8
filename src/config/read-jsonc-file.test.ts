import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForTest } from '../../test/support/temp-dir.js';
import { parseJsonc, readJsoncFile } from './read-jsonc-file.js';

describe('parseJsonc', () => {
  it('accepts comments, trailing commas and a BOM', () => {
    const text = '\uFEFF{\n  // a comment\n  "port": 1, /* block */\n  "list": [1, 2,],\n}\n';
    expect(parseJsonc(text, 'config.jsonc')).toEqual({ ok: true, value: { port: 1, list: [1, 2] } });
  });

  it('treats an empty file as an empty object', () => {
    expect(parseJsonc('  \n', 'config.jsonc')).toEqual({ ok: true, value: {} });
  });

  it('reports each syntax error with line and column', () => {
    const result = parseJsonc('{\n  "port": 5102\n  "host": "x"\n}', 'config.jsonc');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ source: 'config.jsonc', path: '' });
    expect(result.problems[0]?.message).toBe('syntax error at line 3, column 3: expected ","');
  });
});

describe('readJsoncFile', () => {
  it('reads a file and reports a missing one as a problem', async () => {
    const dir = await tempDirForTest('bridge-jsonc-');
    await writeFile(join(dir, 'a.jsonc'), '{"a": true}');
    expect(await readJsoncFile(join(dir, 'a.jsonc'), 'a.jsonc')).toEqual({ ok: true, value: { a: true } });
    const missing = await readJsoncFile(join(dir, 'none.jsonc'), 'none.jsonc');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems[0]?.message).toContain('file not found');
  });
});
