import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractActionIds, extractRecaptchaSiteKey, findEvaluationChunkPaths } from './action-ids.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('findEvaluationChunkPaths', () => {
  it('lists the chunks of the Evaluation import row under /_next/', () => {
    expect(findEvaluationChunkPaths(fixture('text-direct.html'))).toEqual([
      '/_next/static/chunks/7781-4c1d2e.js',
      '/_next/static/chunks/app/text/direct/page-8a9b.js',
    ]);
  });

  it('ignores other import rows and pages without flight data', () => {
    const html = '<script>self.__next_f.push([1,"3:I[1,[\\"static/chunks/a.js\\"],\\"Sidebar\\"]\\n4:I[2,[\\"/_next/static/chunks/b.js\\",\\"static/chunks/c.css\\"],\\"Evaluation\\"]\\n"])</script>';
    expect(findEvaluationChunkPaths(html)).toEqual(['/_next/static/chunks/b.js']);
    expect(findEvaluationChunkPaths('<html></html>')).toEqual([]);
  });
});

describe('extractActionIds', () => {
  it('finds createServerReference ids and generic pairs, keeping only 42-character ids', () => {
    expect(extractActionIds(fixture('evaluation-chunk.js.txt'))).toEqual({
      generateUploadUrl: '7012303914af71fce235a732cde90253f7e2986f2b',
      getSignedUrl: '605373b76a30947cc26be49fc7b00c885910e21559',
      deleteEvaluationSession: '40aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00',
      updateTouConsent: '00fedcba9876543210fedcba9876543210fedcba98',
      createPointwiseFeedback: '7fab12cd34ef56ab78cd90ef12ab34cd56ef78ab90',
    });
  });

  it('finds nothing in unrelated code', () => {
    expect(extractActionIds('function f(a){return a("x","y")}')).toEqual({});
  });
});

describe('extractRecaptchaSiteKey', () => {
  it('reads enterprise.js?render= with other parameters after it', () => {
    expect(extractRecaptchaSiteKey(fixture('text-direct.html'))).toBe('6Led_uYrAAAAAKjxDIF58fgFtX3t8loNAK85bW9I');
  });

  it('reads api.js?render= on any host and skips render=explicit', () => {
    expect(extractRecaptchaSiteKey(fixture('anonymous-undefined.html'))).toBe('6LeTGMcsAAAAALuIlkVwIxaAuZA8VledA6d3Nnb0');
  });

  it('reads a key from an escaped JS string and returns undefined when absent', () => {
    expect(extractRecaptchaSiteKey('s.src=\\"https://www.google.com/recaptcha/enterprise.js?render=6Ld7ePYrAAAAAB34ovoFoDau1fqCJ6IyOjFEQaMn\\"')).toBe('6Ld7ePYrAAAAAB34ovoFoDau1fqCJ6IyOjFEQaMn');
    expect(extractRecaptchaSiteKey('<html></html>')).toBeUndefined();
    expect(extractRecaptchaSiteKey('<script src="https://www.google.com/recaptcha/enterprise.js?render=explicit"></script>')).toBeUndefined();
  });
});
