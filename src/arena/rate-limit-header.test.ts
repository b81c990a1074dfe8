import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from './rate-limit-header.js';

describe('parseRateLimitHeaders', () => {
  it('reads the 2026 form (§15.5)', () => {
    expect(parseRateLimitHeaders({ ratelimit: 'limit=1800;w=300' })).toEqual({ limit: 1800, windowSeconds: 300 });
  });

  it('reads the older form with the policy header, whatever the header case', () => {
    expect(parseRateLimitHeaders({ RateLimit: 'limit=3000, remaining=2999, reset=120', 'ratelimit-policy': '3000;w=300' })).toEqual({
      limit: 3000,
      windowSeconds: 300,
      remaining: 2999,
      resetSeconds: 120,
    });
  });

  it('reads the IETF draft names', () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default";r=0;t=42', 'ratelimit-policy': '"default";q=100;w=60' })).toEqual({
      limit: 100,
      windowSeconds: 60,
      remaining: 0,
      resetSeconds: 42,
    });
  });

  it('gives nothing for absent or unreadable headers', () => {
    expect(parseRateLimitHeaders({})).toBeUndefined();
    expect(parseRateLimitHeaders({ ratelimit: 'limit=lots' })).toBeUndefined();
  });
});
