import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { RecordingRegistry } from '../../../src/workers/userscript/test-support/worker-endpoint-harness.js';
import { registerUserscriptRoute, registerWorkerEndpoint, USERSCRIPT_PATH, WORKER_ENDPOINT_PATHS } from '../../../src/workers/index.js';
import { exchangeRaw, expectOpenAIError, firstChunk } from './raw-http.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();
const SECRET = 'pairing-secret-9f3c1e';

/** The app as the composition root wires it: userscript and worker endpoint public, no API key. */
async function startBridgeLike(allowedHosts: string[] = []) {
  const registry = new RecordingRegistry();
  const running = await start({
    allowedHosts,
    publicPaths: [...WORKER_ENDPOINT_PATHS, USERSCRIPT_PATH],
    extraRoutes: async (app) => {
      await registerWorkerEndpoint(app, { registry, logger: createSilentLogger(), pairingSecret: SECRET, allowedOrigins: ['https://arena.ai'], maxConcurrency: 1 });
      registerUserscriptRoute(app, {
        pairingSecret: SECRET,
        bridgeWsUrl: 'ws://127.0.0.1/ws/worker',
        publicBaseUrl: 'http://127.0.0.1',
        arenaOrigins: ['https://arena.ai'],
        agentVersion: '1.0.0',
        loadBundle: async () => '/* agent */',
      });
    },
  });
  return { ...running, registry, port: Number(new URL(running.origin).port) };
}

const chatBody = JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }] });

function requests(host: string): Record<string, string> {
  return {
    'GET /userscript.user.js': `GET ${USERSCRIPT_PATH} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    'POST /v1/chat/completions': `POST /v1/chat/completions HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${chatBody.length}\r\n\r\n${chatBody}`,
    'WebSocket upgrade to /ws/worker': `GET /ws/worker HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://arena.ai\r\n\r\n`,
  };
}

describe('Host check against DNS rebinding', () => {
  for (const name of Object.keys(requests('x'))) {
    it(`answers ${name} with Host: evil.example with 421 host_not_allowed and nothing else, then closes`, async () => {
      const { port, fake, registry } = await startBridgeLike();
      const raw = await exchangeRaw(port, requests('evil.example')[name] ?? '');
      const message = expectOpenAIError(raw, 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
      expect(message).toContain('"evil.example"');
      expect(message).toContain('allowed_hosts');
      expect(raw).not.toContain(SECRET);
      expect(fake.requests).toHaveLength(0);
      expect(registry.added).toHaveLength(0);
    });
  }

  it('serves the same requests to loopback Hosts with the listening port', async () => {
    const { port, fake } = await startBridgeLike();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST.:${port}`]) {
      const script = await exchangeRaw(port, requests(host)['GET /userscript.user.js']?.replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n') ?? '');
      expect(script, host).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(script).toContain(SECRET);
    }
    const chat = await exchangeRaw(port, requests(`127.0.0.1:${port}`)['POST /v1/chat/completions']?.replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n') ?? '');
    expect(chat).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(fake.requests).toHaveLength(1);
  });

  it('upgrades the worker WebSocket for a loopback Host', async () => {
    const { port } = await startBridgeLike();
    const head = await firstChunk(port, requests(`127.0.0.1:${port}`)['WebSocket upgrade to /ws/worker'] ?? '');
    expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  });

  it('refuses loopback names with another port, and a missing Host', async () => {
    const { port } = await startBridgeLike();
    expectOpenAIError(await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port + 1}\r\n\r\n`), 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
    expectOpenAIError(await exchangeRaw(port, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n'), 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
    const http10 = await exchangeRaw(port, 'GET /health HTTP/1.0\r\n\r\n');
    expect(expectOpenAIError(http10, 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed')).toContain('no Host header');
    expectOpenAIError(await exchangeRaw(port, 'GET /health HTTP/1.1\r\n\r\n'), 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
  });

  it('refuses before the router: a bad path escape with a foreign Host is 421, not 400', async () => {
    const { port } = await startBridgeLike();
    expectOpenAIError(await exchangeRaw(port, 'GET /v1/%zz HTTP/1.1\r\nHost: evil.example\r\n\r\n'), 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
  });

  it('serves allowed_hosts entries and the public URL host', async () => {
    const { port } = await startBridgeLike(['bridge.example.com', '*.lan.example:8080', 'files.example.net']);
    for (const host of ['bridge.example.com', 'Bridge.Example.com.:443', 'files.example.net', 'a.lan.example:8080']) {
      const raw = await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(raw, host).toMatch(/^HTTP\/1\.1 200 OK/);
    }
    expectOpenAIError(await exchangeRaw(port, 'GET /health HTTP/1.1\r\nHost: a.lan.example:5102\r\n\r\n'), 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
  });
});
