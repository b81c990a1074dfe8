import { describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY_LIMITS, isMultiplexed, pageCapacity } from './page-capacity.js';

describe('pageCapacity', () => {
  it('counts HTTP/2 and HTTP/3 as multiplexed, and anything else (unknown too) as HTTP/1.1', () => {
    expect(['h2', 'h2c', 'h3', 'h3-29', 'H2'].map(isMultiplexed)).toEqual([true, true, true, true, true]);
    expect(['http/1.1', 'http/1.0', '', 'hq', 'h20', undefined].map(isMultiplexed)).toEqual([false, false, false, false, false, false]);
  });

  it('gives each protocol its limit, within the hard cap, and never less than 1', () => {
    expect(pageCapacity('h2', DEFAULT_CONCURRENCY_LIMITS)).toBe(64);
    expect(pageCapacity('h3', DEFAULT_CONCURRENCY_LIMITS)).toBe(64);
    expect(pageCapacity('http/1.1', DEFAULT_CONCURRENCY_LIMITS)).toBe(6);
    expect(pageCapacity(undefined, DEFAULT_CONCURRENCY_LIMITS)).toBe(6);
    expect(pageCapacity('h2', { http1: 6, http2: 64, max: 16 })).toBe(16);
    expect(pageCapacity('http/1.1', { http1: 6, http2: 64, max: 16 })).toBe(6);
    expect(pageCapacity('', { http1: 0, http2: 64 })).toBe(1);
  });
});
