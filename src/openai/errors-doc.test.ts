import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../core/errors/index.js';

interface DocRow {
  code: string;
  status: number;
  type: string;
  meaning: string;
  action: string;
}

async function documentedCodes(): Promise<DocRow[]> {
  const text = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  return text.split('\n')
    .filter((line) => /^\| `[a-z_]+` \|/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, ''));
      const [code = '', status = '', type = '', meaning = '', action = ''] = cells;
      return { code, status: Number(status), type, meaning, action };
    });
}

describe('docs/errors.md', () => {
  it('lists exactly the codes of ERROR_CODES, once each, with their status and type', async () => {
    const rows = await documentedCodes();
    expect(rows.map((row) => row.code).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(new Set(rows.map((row) => row.code)).size).toBe(rows.length);
    for (const row of rows) {
      const expected = ERROR_CODES[row.code as keyof typeof ERROR_CODES];
      expect({ code: row.code, status: row.status, type: row.type }).toEqual({ code: row.code, status: expected.status, type: expected.type });
    }
  });

  it('says what each code means and what to do', async () => {
    for (const row of await documentedCodes()) {
      expect(row.meaning.length, row.code).toBeGreaterThan(10);
      expect(row.action.length, row.code).toBeGreaterThan(5);
    }
  });
});
