import { describe, expect, it } from 'vitest';
import { PROMPT_CHARACTER_LIMIT } from '../../arena/constants.js';
import { OVERFLOW_FILE_NAME, overflowPrompt } from './overflow-file.js';

describe('overflowPrompt', () => {
  const long = 'x'.repeat(PROMPT_CHARACTER_LIMIT);

  it('moves earlier turns into the file and keeps system texts and the latest message in the prompt', () => {
    const result = overflowPrompt([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: long },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'Latest?' },
    ]);
    expect(result.prompt.startsWith('Be brief.')).toBe(true);
    expect(result.prompt).toContain(OVERFLOW_FILE_NAME);
    expect(result.prompt.endsWith('Latest?')).toBe(true);
    expect(result.prompt.length).toBeLessThanOrEqual(PROMPT_CHARACTER_LIMIT);
    expect(JSON.parse(result.fileText)).toEqual([{ role: 'user', content: long }, { role: 'assistant', content: 'ok' }]);
  });

  it('moves a huge system text into the file too, and refuses a latest message over the limit', () => {
    const result = overflowPrompt([{ role: 'system', content: long }, { role: 'user', content: 'Hi' }]);
    expect(JSON.parse(result.fileText)).toEqual([{ role: 'system', content: long }]);
    expect(() => overflowPrompt([{ role: 'user', content: 'a' }, { role: 'user', content: long }])).toThrow(
      expect.objectContaining({ code: 'prompt_too_long' }),
    );
  });
});
