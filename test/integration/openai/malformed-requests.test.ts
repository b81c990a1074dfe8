import { describe, expect, it } from 'vitest';
import { createSilentLogger, type Logger } from '../../../src/observability/logger.js';
import { exchangeRaw, expectOpenAIError } from './raw-http.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();

/** Starts the app; `errors` collects what it logs at error level (a client's mistake is not one). */
async function startPort(): Promise<{ port: number; requests: () => number; errors: string[] }> {
  const errors: string[] = [];
  const logger: Logger = { ...createSilentLogger(), error: (message) => errors.push(message), child: () => logger };
  const running = await start({ logger });
  return { port: Number(new URL(running.origin).port), requests: () => running.fake.requests.length, errors };
}

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request';
const post = (port: number, headers: string): string =>
  `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${headers}\r\n`;
const body = '{"model":"fake-model","messages":[{"role":"user","content":"Hi"}]}';

describe('broken HTTP framing gets an OpenAI-shaped 400 malformed_request and a closed connection', () => {
  const cases: Array<[string, (port: number) => string, boolean]> = [
    ['a chunked body cut short', (port) => `${post(port, 'Transfer-Encoding: chunked\r\n')}10\r\n{"model":"fa`, true],
    ['a bad chunk size', (port) => `${post(port, 'Transfer-Encoding: chunked\r\n')}zz\r\n${body}\r\n0\r\n\r\n`, false],
    ['Content-Length together with chunked', (port) => `${post(port, `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`)}${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`, false],
    ['two Content-Lengths', (port) => `${post(port, `Content-Length: ${body.length}\r\nContent-Length: ${body.length + 1}\r\n`)}${body}`, false],
    ['a body shorter than its Content-Length, then the client closes its side', (port) => `${post(port, `Content-Length: ${body.length + 20}\r\n`)}${body}`, true],
  ];
  for (const [name, bytes, endAfterWrite] of cases) {
    it(name, async () => {
      const { port, requests, errors } = await startPort();
      const raw = await exchangeRaw(port, bytes(port), { endAfterWrite });
      expectOpenAIError(raw, BAD_REQUEST, 'malformed_request');
      expect(requests()).toBe(0);
      // The request whose body broke off fails in Fastify too, once the connection is closed.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(errors).toEqual([]);
    });
  }
});

describe('bad URL escapes get 400 malformed_request', () => {
  for (const target of ['/v1/%zz', '/v1/models?after=%zz', '/nowhere%C0%AE', '/health?x=%4']) {
    it(target, async () => {
      const { port } = await startPort();
      const message = expectOpenAIError(await exchangeRaw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`), BAD_REQUEST, 'malformed_request');
      expect(message).toContain('%-escape');
    });
  }
});

describe('other requests Node refuses before Fastify', () => {
  it('a head over the header size limit gets 431 request_headers_too_large', async () => {
    const { port } = await startPort();
    const raw = await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectOpenAIError(raw, 'HTTP/1.1 431 Request Header Fields Too Large', 'request_headers_too_large');
  });

  it('an Expect other than 100-continue is ignored rather than answered with a bare 417', async () => {
    const { port } = await startPort();
    const raw = await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nExpect: something-else\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toContain('"status":"ok"');
  });

  it('garbage instead of a request line gets 400 malformed_request', async () => {
    const { port } = await startPort();
    expectOpenAIError(await exchangeRaw(port, 'HELLO\r\n\r\n'), BAD_REQUEST, 'malformed_request');
  });
});

describe('body errors Fastify reports', () => {
  it('invalid JSON is 400 invalid_json, a non-JSON content type 400 invalid_request', async () => {
    const { port } = await startPort();
    const broken = '{"model":';
    const json = await exchangeRaw(port, `${post(port, `Content-Length: ${broken.length}\r\nConnection: close\r\n`)}${broken}`);
    expectOpenAIError(json, BAD_REQUEST, 'invalid_json');
    const text = await exchangeRaw(port, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`);
    expectOpenAIError(text, BAD_REQUEST, 'invalid_request');
  });
});

describe('a body shorter than its Content-Length, and the client just stops', () => {
  it('gets 408 request_timeout at the request deadline and a closed connection, not a hang', async () => {
    const running = await start({ requestDeadlines: { headersMs: 200, requestMs: 300 } });
    const port = Number(new URL(running.origin).port);
    const raw = await exchangeRaw(port, `${post(port, `Content-Length: ${body.length + 20}\r\n`)}${body}`);
    expect(expectOpenAIError(raw, 'HTTP/1.1 408 Request Timeout', 'request_timeout')).toContain('body_timeout_seconds');
    expect(running.fake.requests).toHaveLength(0);
  });
});
