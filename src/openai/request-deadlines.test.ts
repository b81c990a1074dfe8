import { describe, expect, it } from 'vitest';
import { requestTimeoutOptions } from './request-deadlines.js';

const MIB = 1024 * 1024;

describe('requestTimeoutOptions', () => {
  it('derives the whole-request deadline from the body limit at 32 KiB/s, after the head deadline', () => {
    expect(requestTimeoutOptions({}, 16 * MIB)).toEqual({ headersTimeout: 20_000, requestTimeout: 532_000, connectionsCheckingInterval: 1000 });
    expect(requestTimeoutOptions({ headersMs: 10_000 }, MIB)).toEqual({ headersTimeout: 10_000, requestTimeout: 42_000, connectionsCheckingInterval: 1000 });
  });

  it('takes configured deadlines, never a request deadline shorter than the head one', () => {
    expect(requestTimeoutOptions({ headersMs: 5000, requestMs: 60_000 }, 16 * MIB).requestTimeout).toBe(60_000);
    expect(requestTimeoutOptions({ headersMs: 30_000, requestMs: 10_000 }, 16 * MIB)).toMatchObject({ headersTimeout: 30_000, requestTimeout: 30_000 });
  });

  it('checks every tenth of the head deadline, between 50 ms and 1 s', () => {
    expect(requestTimeoutOptions({ headersMs: 2000 }, MIB).connectionsCheckingInterval).toBe(200);
    expect(requestTimeoutOptions({ headersMs: 100 }, MIB).connectionsCheckingInterval).toBe(50);
    expect(requestTimeoutOptions({ headersMs: 600_000 }, MIB).connectionsCheckingInterval).toBe(1000);
  });
});
