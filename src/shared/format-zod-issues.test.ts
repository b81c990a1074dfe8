import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formatZodIssues } from './format-zod-issues.js';

describe('formatZodIssues', () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string()), mode: z.enum(['a', 'b']) });

  it('names every issue by its path, in order', () => {
    const result = schema.safeParse({ name: 1, tags: ['x', 2], mode: 'c' });
    expect(result.success).toBe(false);
    expect(formatZodIssues(result.error?.issues ?? [])).toBe(
      'name: Invalid input: expected string, received number; tags.1: Invalid input: expected string, received number; mode: Invalid option: expected one of "a"|"b"',
    );
  });

  it('keeps the first `limit` issues and calls an empty path (root)', () => {
    const result = schema.safeParse({ name: 1, tags: ['x', 2] });
    expect(formatZodIssues(result.error?.issues ?? [], 1)).toBe('name: Invalid input: expected string, received number');
    expect(formatZodIssues(schema.safeParse(null).error?.issues ?? [])).toBe('(root): Invalid input: expected object, received null');
  });

  it('is empty without issues and tolerates symbol keys', () => {
    expect(formatZodIssues([])).toBe('');
    expect(formatZodIssues([{ path: [Symbol('key'), 0], message: 'bad' }])).toBe('Symbol(key).0: bad');
  });
});
