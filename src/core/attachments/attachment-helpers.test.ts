import { describe, expect, it } from 'vitest';
import { describeNonPublicUrl } from '../../config/public-url.js';
import { dataUriByteLength, decodeDataUri } from './decode-data-uri.js';
import { signedUrlExpiresAt } from './signed-url-expiry.js';
import { sniffContentType } from './sniff-content-type.js';

describe('attachment helpers', () => {
  it('decodes data: URIs and sizes them without decoding', () => {
    expect(decodeDataUri('data:text/plain;base64,aGVsbG8=')).toEqual({ contentType: 'text/plain', bytes: Buffer.from('hello') });
    expect(decodeDataUri('data:,a%20b')?.bytes.toString()).toBe('a b');
    expect(decodeDataUri('https://example.com/a.png')).toBeUndefined();
    expect(dataUriByteLength('data:image/png;base64,aGVsbG8=')).toBe(5);
    expect(dataUriByteLength(`data:image/png;base64,${Buffer.alloc(1000).toString('base64')}`)).toBe(1000);
  });

  it('reads the expiry of presigned URLs', () => {
    expect(signedUrlExpiresAt('https://r2.example/x?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60')).toBe(Date.UTC(2026, 0, 1, 0, 1, 0));
    expect(signedUrlExpiresAt('https://r2.example/x?X-Amz-Date=2026&X-Amz-Expires=60')).toBeUndefined();
    expect(signedUrlExpiresAt('not a url')).toBeUndefined();
  });

  it('sniffs common file types', () => {
    expect(sniffContentType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffContentType(Buffer.from('RIFF0000WEBPVP8 '))).toBe('image/webp');
    expect(sniffContentType(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from('hello'))).toBeUndefined();
  });

  it('tells which URLs the arena cannot reach', () => {
    for (const url of ['http://127.0.0.1:5102', 'http://localhost', 'http://[::1]:80', 'http://10.0.0.2', 'http://192.168.1.5', 'http://172.20.0.1', 'http://nas.local', 'http://fileserver']) {
      expect(describeNonPublicUrl(url), url).toBeDefined();
    }
    for (const url of ['https://files.example.com', 'http://203.0.113.7:8080', 'http://172.32.0.1']) {
      expect(describeNonPublicUrl(url), url).toBeUndefined();
    }
  });
});
