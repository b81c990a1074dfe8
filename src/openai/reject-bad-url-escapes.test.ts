import { describe, expect, it } from 'vitest';
import { hasBadUrlEscape } from './reject-bad-url-escapes.js';

describe('hasBadUrlEscape', () => {
  it('finds bad escapes in the path or the query', () => {
    for (const url of ['/v1/models?q=%zz', '/v1/%zz', '/v1/models?q=%', '/v1/models?q=%4', '/x%C0%AE', '/x?%ff']) {
      expect(hasBadUrlEscape(url), url).toBe(true);
    }
  });

  it('accepts well-formed URLs', () => {
    for (const url of ['/v1/models', '/v1/models?q=a%20b&key=%2F%3D', '/x/%E2%9C%85', '/userscript.user.js?key=sk+1']) {
      expect(hasBadUrlEscape(url), url).toBe(false);
    }
  });
});
