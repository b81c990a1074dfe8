import { describe, expect, it } from 'vitest';
import { isArenaOrigin } from './arena-origin.js';

describe('isArenaOrigin', () => {
  const allowed = ['https://arena.ai', 'http://127.0.0.1:5107'];

  it('accepts the arena origins and their subdomains', () => {
    expect(isArenaOrigin('https://arena.ai', allowed)).toBe(true);
    expect(isArenaOrigin('https://beta.arena.ai', allowed)).toBe(true);
    expect(isArenaOrigin('http://127.0.0.1:5107', allowed)).toBe(true);
  });

  it('refuses every other page, look-alikes included', () => {
    expect(isArenaOrigin('https://evil.example', allowed)).toBe(false);
    expect(isArenaOrigin('https://notarena.ai', allowed)).toBe(false);
    expect(isArenaOrigin('https://arena.ai.evil.example', allowed)).toBe(false);
    expect(isArenaOrigin('http://arena.ai', allowed)).toBe(false);
    expect(isArenaOrigin('http://127.0.0.1:5108', allowed)).toBe(false);
    expect(isArenaOrigin('https://accounts.google.com', allowed)).toBe(false);
    expect(isArenaOrigin('null', allowed)).toBe(false);
  });
});
