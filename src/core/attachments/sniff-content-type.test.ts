import { describe, expect, it } from 'vitest';
import { matchesContentType, sniffContentType } from './sniff-content-type.js';

const SAMPLES: Record<string, Buffer> = {
  'image/png': Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  'image/jpeg': Buffer.from('ffd8ffe000104a464946', 'hex'),
  'image/gif': Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
  'image/webp': Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'),
  'application/pdf': Buffer.from('%PDF-1.7\n'),
};

describe('sniffContentType / matchesContentType', () => {
  it.each(Object.entries(SAMPLES))('recognises %s and matches it only against itself', (type, bytes) => {
    expect(sniffContentType(bytes)).toBe(type);
    for (const other of Object.keys(SAMPLES)) expect(matchesContentType(other, bytes), other).toBe(other === type);
  });

  it('treats image/jpg as image/jpeg', () => {
    expect(matchesContentType('image/jpg', SAMPLES['image/jpeg'] ?? Buffer.alloc(0))).toBe(true);
    expect(matchesContentType('image/jpg', SAMPLES['image/png'] ?? Buffer.alloc(0))).toBe(false);
  });

  it('does not recognise a RIFF file that is not WebP, truncated signatures or empty bytes', () => {
    expect(sniffContentType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(matchesContentType('image/webp', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBe(false);
    expect(matchesContentType('image/png', Buffer.from('89504e47', 'hex'))).toBe(false);
    expect(sniffContentType(Buffer.alloc(0))).toBeUndefined();
    expect(matchesContentType('image/gif', Buffer.alloc(0))).toBe(false);
  });

  it('leaves types outside the table unjudged', () => {
    for (const type of ['image/svg+xml', 'image/bmp', 'text/plain', 'application/octet-stream', 'audio/mpeg']) {
      expect(matchesContentType(type, SAMPLES['image/png'] ?? Buffer.alloc(0)), type).toBeUndefined();
    }
  });
});
