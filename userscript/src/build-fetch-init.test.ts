import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_TIMINGS } from './agent-environment.js';
import { buildFetchInit } from './build-fetch-init.js';
import { createNodeEnvironment } from './test-support/node-environment.js';

function context(origin: string) {
  const { environment } = createNodeEnvironment({ bridgeUrl: 'ws://127.0.0.1:1/ws/worker', origin });
  return { environment, timings: DEFAULT_AGENT_TIMINGS, signal: new AbortController().signal };
}

describe('buildFetchInit', () => {
  it('sends the page cookies with same-origin requests', async () => {
    const prepared = await buildFetchInit({ method: 'GET', url: '/nextjs-api/model-catalog', headers: {} }, context('https://arena.ai'));
    expect(prepared.url).toBe('https://arena.ai/nextjs-api/model-catalog');
    expect(prepared.init.credentials).toBe('include');
  });

  it('omits credentials for cross-origin uploads, which presigned storage would refuse', async () => {
    const request = { method: 'PUT' as const, url: 'https://storage.example.invalid/key?X-Amz-Signature=s', headers: { 'content-type': 'image/png' }, body: { kind: 'base64' as const, value: 'AAEC' } };
    const prepared = await buildFetchInit(request, context('https://arena.ai'));
    expect(prepared.init.credentials).toBe('omit');
    expect(prepared.init.body).toEqual(new Uint8Array([0, 1, 2]));
  });
});
