import OpenAI from 'openai';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { createHttpApp } from '../../../src/openai/index.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();

const withKeys = {
  apiKeys: ['sk-one', 'sk-two'],
  publicPaths: ['/userscript.user.js'],
  extraRoutes: (app: FastifyInstance) => {
    app.get('/userscript.user.js', async () => 'script');
    app.get('/extra', async () => ({ extra: true }));
    app.get('/opted-out', { config: { public: true } }, async () => ({ open: true }));
  },
};

describe('API-key authentication', () => {
  it('accepts a configured key as Bearer (the SDK) or x-api-key', async () => {
    const { client, origin } = await start(withKeys, 'sk-two');
    const completion = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello');
    const viaHeader = await fetch(`${origin}/v1/models`, { headers: { 'x-api-key': 'sk-one' } });
    expect(viaHeader.status).toBe(200);
  });

  it('refuses a wrong or missing key with 401 invalid_api_key on every route, extra routes included', async () => {
    const { origin } = await start(withKeys, 'sk-wrong');
    const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    const thrown = await client.models.list().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((thrown as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    for (const path of ['/health', '/extra', '/v1/nothing']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
    expect((await fetch(`${origin}/extra`, { headers: { authorization: 'Bearer sk-one-extra' } })).status).toBe(401);
  });

  it('lets public paths and opted-out routes through without a key', async () => {
    const { origin } = await start(withKeys);
    expect((await fetch(`${origin}/userscript.user.js?v=1`)).status).toBe(200);
    expect((await fetch(`${origin}/opted-out`)).status).toBe(200);
  });

  it('also covers routes the composition root adds after createHttpApp resolved', async () => {
    const app = await createHttpApp({ logger: createSilentLogger(), apiKeys: ['sk-one'], corsOrigins: [], maxBodyBytes: 1024 }, () => undefined);
    app.get('/late', async () => ({ late: true }));
    try {
      const origin = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
      expect((await fetch(`${origin}/late`)).status).toBe(401);
      expect((await fetch(`${origin}/late`, { headers: { 'x-api-key': 'sk-one' } })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('is off when no keys are configured', async () => {
    const { origin } = await start();
    expect((await fetch(`${origin}/v1/models`)).status).toBe(200);
  });
});

describe('CORS', () => {
  it('sends no CORS headers when no origins are configured', async () => {
    const { origin } = await start();
    const response = await fetch(`${origin}/v1/models`, { headers: { origin: 'https://app.test' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${origin}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'https://app.test', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reflects only listed origins and answers their preflight without a key', async () => {
    const { origin } = await start({ corsOrigins: ['https://app.test'], apiKeys: ['sk-one'] });
    const preflight = await fetch(`${origin}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.test');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = await fetch(`${origin}/v1/models`, { headers: { origin: 'https://app.test', authorization: 'Bearer sk-one' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.test');
    const unauthorised = await fetch(`${origin}/v1/models`, { headers: { origin: 'https://app.test' } });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('access-control-allow-origin')).toBe('https://app.test');
    const other = await fetch(`${origin}/v1/models`, { headers: { origin: 'https://evil.test', authorization: 'Bearer sk-one' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
