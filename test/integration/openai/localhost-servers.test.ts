import dns from 'node:dns';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnectionCap } from '../../../src/openai/index.js';
import { exchangeRaw, expectOpenAIError } from './raw-http.js';
import { useTestApp } from './start-test-app.js';

/** True when this machine can listen on ::1. */
async function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

const IPV6 = await hasIpv6Loopback();
const title = 'listening on localhost, the ::1 server answers as 127.0.0.1 does';

const realLookup = dns.lookup;
/**
 * Fastify listens on `localhost` by binding every address `dns.lookup('localhost', { all: true })`
 * returns, the first one on `app.server`. Resolvers differ (this one may give 127.0.0.1 only), so
 * `localhost` is made to resolve as on most desktops, 127.0.0.1 first: ::1 is then the server
 * Fastify adds. Node's own module is replaced, not a project module.
 */
function resolveLocalhostToBothLoopbacks(): void {
  vi.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback?: unknown) => {
    const all = typeof options === 'object' && options !== null && (options as { all?: unknown }).all === true;
    const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    if (hostname !== 'localhost') return (realLookup as (...args: unknown[]) => void)(hostname, options, callback);
    if (all) process.nextTick(done, null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    else process.nextTick(done, null, '127.0.0.1', 4);
  }) as typeof dns.lookup);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.skipIf(!IPV6)(IPV6 ? title : `${title} (skipped: this machine cannot listen on ::1)`, () => {
  const start = useTestApp();

  async function startOnLocalhost(overrides: Parameters<typeof start>[0] = {}) {
    resolveLocalhostToBothLoopbacks();
    const running = await start(overrides, 'test-key', 'localhost');
    const port = Number(new URL(running.origin).port);
    expect(running.app.addresses()).toEqual(expect.arrayContaining([
      expect.objectContaining({ address: '127.0.0.1', port }),
      expect.objectContaining({ address: '::1', port }),
    ]));
    return { port, app: running.app };
  }

  it('garbage bytes get 400 malformed_request, and the connection closes', async () => {
    const { port } = await startOnLocalhost();
    expectOpenAIError(await exchangeRaw(port, 'HELLO\r\n\r\n', { host: '::1' }), 'HTTP/1.1 400 Bad Request', 'malformed_request');
    const cut = `POST /v1/chat/completions HTTP/1.1\r\nHost: [::1]:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`;
    expectOpenAIError(await exchangeRaw(port, cut, { host: '::1' }), 'HTTP/1.1 400 Bad Request', 'malformed_request');
  });

  it('an Expect other than 100-continue is ignored, not answered with a bare 417', async () => {
    const { port } = await startOnLocalhost();
    const raw = await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: [::1]:${port}\r\nExpect: something-else\r\nConnection: close\r\n\r\n`, { host: '::1' });
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toContain('"status":"ok"');
  });

  it('the per-address connection cap counts connections to ::1 too', async () => {
    const { port } = await startOnLocalhost({ connectionCap: createConnectionCap({ maxPerAddress: 1, refusedLingerMs: 200 }) });
    const held = connect(port, '::1');
    await new Promise((resolve) => held.once('connect', resolve));
    try {
      const raw = await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: [::1]:${port}\r\n\r\n`, { host: '::1', endAfterWrite: true });
      expectOpenAIError(raw, 'HTTP/1.1 429 Too Many Requests', 'too_many_connections');
    } finally {
      held.destroy();
    }
  });
});
