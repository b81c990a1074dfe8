import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './start-test-app.js';

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('GET /v1/models and /health', () => {
  it('lists the directory through the SDK with owned_by and capabilities', async () => {
    running = await startTestApp();
    const models = [];
    for await (const model of running.client.models.list()) models.push(model);
    expect(models.map((model) => [model.id, model.object, model.owned_by])).toEqual([
      ['fake-model', 'model', 'Fake Org'],
      ['fake-image', 'model', 'Fake Org'],
    ]);
    expect((models[1] as unknown as { capabilities: string[] }).capabilities).toEqual(['image']);
    expect(typeof models[0]?.created).toBe('number');
    const alias = await fetch(`${running.origin}/models`);
    expect(((await alias.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('reports status, version, uptime and core health without secrets', async () => {
    running = await startTestApp({ apiKeys: ['sk-secret'] }, 'sk-secret');
    const response = await fetch(`${running.origin}/health`, { headers: { authorization: 'Bearer sk-secret' } });
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'ok', version: '9.9.9-test', uptime_seconds: 0, workers: 1 });
    expect(text).not.toContain('sk-secret');
  });
});
