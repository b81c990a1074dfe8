import { describe, expect, it } from 'vitest';
import { isUuid, isUuidV7, uuidv7 } from './uuidv7.js';

const zeros = (length: number): Uint8Array => new Uint8Array(length);
const ones = (length: number): Uint8Array => new Uint8Array(length).fill(0xff);

describe('uuidv7', () => {
  it('puts the 48-bit big-endian millisecond timestamp first', () => {
    const now = Date.UTC(2025, 10, 1, 12, 0, 0);
    const id = uuidv7({ now, random: zeros });
    expect(id.replaceAll('-', '').slice(0, 12)).toBe(now.toString(16).padStart(12, '0'));
    expect(id).toBe(`${now.toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-000000000000`);
  });

  it('sets version 7 and variant 10 whatever the random bytes are', () => {
    expect(uuidv7({ now: 0, random: ones })).toBe('00000000-0000-7fff-bfff-ffffffffffff');
    expect(uuidv7({ now: 0, random: zeros })).toBe('00000000-0000-7000-8000-000000000000');
  });

  it('handles timestamps beyond 32 bits and the 48-bit maximum', () => {
    expect(uuidv7({ now: 2 ** 48 - 1, random: zeros }).slice(0, 13)).toBe('ffffffff-ffff');
    expect(uuidv7({ now: 2 ** 32, random: zeros }).slice(0, 13)).toBe('00010000-0000');
    expect(() => uuidv7({ now: 2 ** 48 })).toThrow(RangeError);
    expect(() => uuidv7({ now: -1 })).toThrow(RangeError);
  });

  it('is lowercase, valid, and sorts by time', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_760_000_000_000].map((now) => uuidv7({ now }));
    for (const id of ids) {
      expect(id).toBe(id.toLowerCase());
      expect(isUuidV7(id)).toBe(true);
    }
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it('uses fresh randomness by default', () => {
    const ids = new Set(Array.from({ length: 200 }, () => uuidv7({ now: 1_700_000_000_000 })));
    expect(ids.size).toBe(200);
  });

  it('defaults the timestamp to now', () => {
    const before = Date.now();
    const stamp = Number.parseInt(uuidv7().replaceAll('-', '').slice(0, 12), 16);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });

  it('rejects a random source that returns too few bytes', () => {
    expect(() => uuidv7({ random: () => new Uint8Array(4) })).toThrow(RangeError);
  });
});

describe('isUuid / isUuidV7', () => {
  it('accepts any version for isUuid and only v7 for isUuidV7', () => {
    const v4 = '983bc566-b783-4d28-b24c-3c8b08eb1086';
    const v7 = '019a41a7-b8bc-743a-9d1e-6f0c2b7a5e11';
    expect(isUuid(v4)).toBe(true);
    expect(isUuid(v7)).toBe(true);
    expect(isUuidV7(v4)).toBe(false);
    expect(isUuidV7(v7)).toBe(true);
    expect(isUuidV7('019a41a7-b8bc-743a-cd1e-6f0c2b7a5e11')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(`${v4}0`)).toBe(false);
  });
});
