import { describe, expect, it } from 'vitest';
import { AnswerContent, AnswerText } from './answer-content.js';

describe('AnswerContent', () => {
  it('gives each event the content a client sees, holding citations for the sources list', () => {
    const content = new AnswerContent();
    const text = { type: 'text-delta', text: 'a' } as const;
    expect(content.add({ type: 'video', url: 'https://v/1.mp4' })).toBe('[video](https://v/1.mp4)');
    expect(content.add(text)).toBe(text.text);
    expect(content.add({ type: 'image', url: 'https://i/x y.png' })).toBe('\n\n![image](https://i/x%20y.png)');
    expect(content.add({ type: 'reasoning-delta', text: 'r' })).toBeUndefined();
    expect(content.add({ type: 'citation', url: 'https://s', title: 'S' })).toBeUndefined();
    expect(content.add({ type: 'finish', finishReason: 'stop' })).toBeUndefined();
    expect(content.sources()).toBe('\n\nSources:\n1. [S](https://s)');
    expect(content.citations).toEqual([{ url: 'https://s', title: 'S' }]);
  });

  it('puts no blank line before media when only empty text came first', () => {
    const content = new AnswerContent();
    expect(content.add({ type: 'text-delta', text: '' })).toBe('');
    expect(content.add({ type: 'image', url: 'https://i/1.png' })).toBe('![image](https://i/1.png)');
  });
});

describe('AnswerText', () => {
  it('keeps the whole content with the sources list appended', () => {
    const answer = new AnswerText();
    answer.add({ type: 'text-delta', text: 'Hi' });
    answer.add({ type: 'reasoning-delta', text: 'hidden' });
    answer.add({ type: 'citation', url: 'https://s' });
    answer.add({ type: 'image', url: 'https://i/1.png' });
    expect(answer.text).toBe('Hi\n\n![image](https://i/1.png)\n\nSources:\n1. [https://s](https://s)');
    expect(answer.citations).toEqual([{ url: 'https://s' }]);
  });
});
