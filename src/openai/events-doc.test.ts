import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENT_TYPES } from './routes/events-route.js';

async function documentedTypes(): Promise<Array<{ type: string; fields: string; when: string }>> {
  const text = await readFile(new URL('../../docs/events.md', import.meta.url), 'utf8');
  return text.split('\n')
    .filter((line) => /^\| `[a-z]+\.[a-z]+` \|/.test(line))
    .map((line) => {
      const [type = '', fields = '', when = ''] = line.split('|').slice(1, -1).map((cell) => cell.trim());
      return { type: type.replace(/^`|`$/g, ''), fields, when };
    });
}

describe('docs/events.md', () => {
  it('lists exactly the event types of the BridgeEvent union, once each, with fields and meaning', async () => {
    const rows = await documentedTypes();
    expect(rows.map((row) => row.type).sort()).toEqual([...BRIDGE_EVENT_TYPES].sort());
    expect(new Set(rows.map((row) => row.type)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.fields, row.type).toMatch(/`[a-zA-Z]+`/);
      expect(row.when.length, row.type).toBeGreaterThan(10);
    }
  });
});
