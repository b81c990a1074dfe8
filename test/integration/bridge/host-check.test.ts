/** The Host check as the composition root wires it: allowed_hosts and file_host_public_url from the configuration. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { startBridge, type RunningBridge } from '../../../src/server.js';
import { useTempDir } from '../../support/temp-dir.js';
import { exchangeRaw, expectOpenAIError } from '../openai/raw-http.js';

const dataDir = useTempDir('lmarena-bridge-host-', 'all');
let bridge: RunningBridge;
let port: number;

beforeAll(async () => {
  const base = defaultConfig({ dataDir: dataDir() });
  bridge = await startBridge({
    config: {
      ...base,
      server: { ...base.server, port: 0, allowedHosts: ['bridge.example.com:8443'] },
      browser: { ...base.browser, workers: 'off' },
      fileHost: { ...base.fileHost, publicUrl: 'https://files.example.net' },
      logging: { ...base.logging, level: 'off' },
    },
    logger: createSilentLogger(),
  });
  port = Number(new URL(bridge.url).port);
});

afterAll(async () => {
  await bridge.close();
});

const get = (path: string, host: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${extra}\r\n`;
const upgrade = 'Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://arena.ai\r\n';

describe('Host check of the running bridge', () => {
  it('refuses a rebinding name for the userscript (pairing secret) and the worker socket', async () => {
    for (const request of [get('/userscript.user.js', 'evil.example'), get('/ws/worker', `evil.example:${port}`, upgrade).replace('Connection: close', 'Connection: Upgrade')]) {
      const raw = await exchangeRaw(port, request);
      expectOpenAIError(raw, 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
      expect(raw).not.toContain(bridge.pairingSecret);
    }
  });

  it('answers its loopback URL, allowed_hosts and the public URL host', async () => {
    for (const host of [new URL(bridge.url).host, `localhost:${port}`, 'bridge.example.com:8443', 'files.example.net', 'files.example.net:443']) {
      expect(await exchangeRaw(port, get('/health', host)), host).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
    for (const host of ['bridge.example.com', 'bridge.example.com:5102', 'other.example.net']) {
      expectOpenAIError(await exchangeRaw(port, get('/health', host)), 'HTTP/1.1 421 Misdirected Request', 'host_not_allowed');
    }
  });
});
