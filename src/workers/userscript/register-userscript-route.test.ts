import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerUserscriptRoute } from './register-userscript-route.js';

const BUNDLE = '/* agent bundle for tests */ void 0;';

describe('GET /userscript.user.js', () => {
  it('serves the rendered userscript with the configured URL and secret, loading the bundle once', async () => {
    const app = Fastify();
    let loads = 0;
    registerUserscriptRoute(app, {
      pairingSecret: 'secret-123',
      bridgeWsUrl: 'ws://127.0.0.1:6123/ws/worker',
      arenaOrigins: ['https://arena.ai'],
      agentVersion: '9.9.9',
      publicBaseUrl: 'http://127.0.0.1:6123/',
      loadBundle: () => {
        loads += 1;
        return Promise.resolve(BUNDLE);
      },
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/userscript.user.js' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.body).toContain('// ==UserScript==');
      expect(response.body).toContain('// @version      9.9.9');
      expect(response.body).toContain('// @downloadURL  http://127.0.0.1:6123/userscript.user.js');
      expect(response.body).toContain('ws://127.0.0.1:6123/ws/worker');
      expect(response.body).toContain('secret-123');
      expect(response.body).toContain(BUNDLE);
      await app.inject({ method: 'GET', url: '/userscript.user.js' });
      expect(loads).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('fails while the bundle is missing and recovers once it loads', async () => {
    const app = Fastify();
    let available = false;
    registerUserscriptRoute(app, {
      pairingSecret: 's',
      bridgeWsUrl: 'ws://127.0.0.1:1/ws/worker',
      arenaOrigins: ['https://arena.ai'],
      agentVersion: '1.0.0',
      publicBaseUrl: 'http://127.0.0.1:1',
      loadBundle: () => (available ? Promise.resolve(BUNDLE) : Promise.reject(new Error('bundle missing; run npm run build'))),
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/userscript.user.js' })).statusCode).toBe(500);
      available = true;
      const response = await app.inject({ method: 'GET', url: '/userscript.user.js' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(BUNDLE);
    } finally {
      await app.close();
    }
  });
});
