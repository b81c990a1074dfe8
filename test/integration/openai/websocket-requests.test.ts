import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { RecordingRegistry } from '../../../src/workers/userscript/test-support/worker-endpoint-harness.js';
import { registerWorkerEndpoint, USERSCRIPT_PATH, WORKER_ENDPOINT_PATHS } from '../../../src/workers/index.js';
import { exchangeRaw, expectOpenAIError, firstChunk, parseSingleResponse } from './raw-http.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();

/** The app with the worker endpoint; `apiKey` set and `public` false: every path needs the key. */
async function startWithWorkerEndpoint(options: { apiKey?: string; workerPathsPublic?: boolean } = {}) {
  const registry = new RecordingRegistry();
  const running = await start({
    apiKeys: options.apiKey === undefined ? [] : [options.apiKey],
    publicPaths: options.workerPathsPublic === false ? [] : [...WORKER_ENDPOINT_PATHS],
    extraRoutes: async (app) => {
      await registerWorkerEndpoint(app, { registry, logger: createSilentLogger(), pairingSecret: 'secret', allowedOrigins: ['https://arena.ai'], maxConcurrency: 1 });
    },
  });
  return { registry, port: Number(new URL(running.origin).port) };
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function upgrade(port: number, path: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': KEY,
    'Sec-WebSocket-Version': '13',
    Origin: 'https://arena.ai',
    ...headers,
  };
  const lines = Object.entries(all).filter(([, value]) => value !== '').map(([name, value]) => `${name}: ${value}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

describe('a plain HTTP request to the worker WebSocket endpoint', () => {
  for (const path of WORKER_ENDPOINT_PATHS) {
    it(`GET ${path} gets 426 upgrade_required saying how to connect a worker`, async () => {
      const { port, registry } = await startWithWorkerEndpoint();
      const raw = await exchangeRaw(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      const message = expectOpenAIError(raw, 'HTTP/1.1 426 Upgrade Required', 'upgrade_required');
      expect(message).toContain(`GET ${path}`);
      expect(message).toContain('WebSocket');
      expect(message).toContain(USERSCRIPT_PATH);
      const { headers } = parseSingleResponse(raw);
      expect(headers.get('upgrade')).toBe('websocket');
      expect(headers.get('connection')?.toLowerCase()).toContain('upgrade');
      expect(registry.added).toHaveLength(0);
    });
  }

  it('an HTTP client reads the 426 as an ordinary error (its Upgrade header only announces WebSocket)', async () => {
    const { port } = await startWithWorkerEndpoint();
    const response = await fetch(`http://127.0.0.1:${port}/ws/worker`);
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ error: { code: 'upgrade_required', type: 'invalid_request_error' } });
  });

  it('HEAD gets the same status and headers, without a body', async () => {
    const { port } = await startWithWorkerEndpoint();
    const raw = await exchangeRaw(port, `HEAD /ws/worker HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(raw).toMatch(/\r\nupgrade: websocket\r\n/i);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });
});

describe('a WebSocket handshake the endpoint cannot accept', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['no Sec-WebSocket-Key', { 'Sec-WebSocket-Key': '' }],
    ['a Sec-WebSocket-Key that is not 16 bytes in base64', { 'Sec-WebSocket-Key': 'not-a-key' }],
    ['Sec-WebSocket-Version 12', { 'Sec-WebSocket-Version': '12' }],
    ['no Sec-WebSocket-Version', { 'Sec-WebSocket-Version': '' }],
    ['Upgrade: h2c', { Upgrade: 'h2c' }],
    ['a malformed Sec-WebSocket-Protocol', { 'Sec-WebSocket-Protocol': 'a,,b' }],
  ];
  for (const [name, headers] of cases) {
    it(`${name}: 400 malformed_request naming the supported versions, then the connection closes`, async () => {
      const { port, registry } = await startWithWorkerEndpoint();
      const raw = await exchangeRaw(port, upgrade(port, '/ws/worker', headers));
      const message = expectOpenAIError(raw, 'HTTP/1.1 400 Bad Request', 'malformed_request');
      expect(message).toContain('WebSocket handshake');
      const response = parseSingleResponse(raw);
      expect(response.headers.get('sec-websocket-version')).toBe('13, 8');
      expect(response.headers.get('connection')).toBe('close');
      expect(registry.added).toHaveLength(0);
    });
  }

  it('a valid handshake still switches protocols', async () => {
    const { port } = await startWithWorkerEndpoint();
    expect(await firstChunk(port, upgrade(port, '/ws/worker'))).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  });
});

describe('an upgrade refused before it reaches the WebSocket server', () => {
  it('without the API key on a path that needs one: 401 invalid_api_key, then the connection closes', async () => {
    const { port, registry } = await startWithWorkerEndpoint({ apiKey: 'sk-test', workerPathsPublic: false });
    for (const path of ['/ws/worker', '/v1/models']) {
      const raw = await exchangeRaw(port, upgrade(port, path));
      expectOpenAIError(raw, 'HTTP/1.1 401 Unauthorized', 'invalid_api_key');
      expect(parseSingleResponse(raw).headers.get('connection')).toBe('close');
    }
    expect(registry.added).toHaveLength(0);
  });

  it('to a path with no route: 404 route_not_found, then the connection closes', async () => {
    const { port } = await startWithWorkerEndpoint();
    expectOpenAIError(await exchangeRaw(port, upgrade(port, '/nowhere')), 'HTTP/1.1 404 Not Found', 'route_not_found');
  });

  it('with the API key the worker path still upgrades', async () => {
    const { port } = await startWithWorkerEndpoint({ apiKey: 'sk-test', workerPathsPublic: false });
    const head = await firstChunk(port, upgrade(port, '/ws/worker', { Authorization: 'Bearer sk-test' }));
    expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  });
});
