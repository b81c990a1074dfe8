import { describe, expect, it } from 'vitest';
import { readModelsObject } from './models-file.js';

describe('readModelsObject', () => {
  it('reads the string forms of the original', () => {
    const { entries, problems } = readModelsObject(
      {
        'gemini-2.5-pro': '0199aaaa-0000-7000-8000-000000000001',
        'nano-banana': 'null:image',
        'dall-e-3': '0199aaaa-0000-7000-8000-000000000002:image',
        'web-search': 'abc:search',
        veo: 'def:video',
        plain: 'null',
      },
      'models.json',
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { name: 'gemini-2.5-pro', id: '0199aaaa-0000-7000-8000-000000000001', type: 'text' },
      { name: 'nano-banana', id: null, type: 'image' },
      { name: 'dall-e-3', id: '0199aaaa-0000-7000-8000-000000000002', type: 'image' },
      { name: 'web-search', id: 'abc', type: 'search' },
      { name: 'veo', id: 'def', type: 'video' },
      { name: 'plain', id: null, type: 'text' },
    ]);
  });

  it('reads the object form, inferring the type from capabilities when not given', () => {
    const { entries, problems } = readModelsObject(
      {
        fast: { id: 'id-1', type: 'text', alias_of: 'gemini-2.5-flash' },
        painter: { capabilities: { outputCapabilities: { text: false, image: { aspectRatios: ['1:1'] } } } },
        searcher: { id: 'id-3', capabilities: { outputCapabilities: { image: false, search: true } } },
      },
      'models.json',
    );
    expect(problems).toEqual([]);
    expect(entries[0]).toEqual({ name: 'fast', id: 'id-1', type: 'text', aliasOf: 'gemini-2.5-flash' });
    expect(entries[1]).toMatchObject({ name: 'painter', id: null, type: 'image' });
    expect(entries[2]).toMatchObject({ name: 'searcher', id: 'id-3', type: 'search' });
  });

  it('reports every bad entry with its model name', () => {
    const { problems } = readModelsObject(
      { a: 'x:audio', b: '', c: { id: 'x', type: 'music' }, d: { id: 'x', colour: 'red' }, e: 42 },
      'models.json',
    );
    const paths = problems.map((problem) => problem.path);
    expect(paths).toEqual(['a', 'b', 'c.type', 'd', 'e']);
    expect(problems[0]?.message).toContain('unknown type suffix ":audio"');
    expect(problems.every((problem) => problem.source === 'models.json' && problem.fix.length > 0)).toBe(true);
  });

  it('rejects a file that is not an object', () => {
    expect(readModelsObject(['a'], 'models.json').problems).toHaveLength(1);
  });
});
