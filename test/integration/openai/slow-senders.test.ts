/**
 * Slow and numerous connections at the byte level: request heads and bodies that trickle in,
 * connections idle between requests, answers slower than the deadlines, and the per-address cap.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createConnectionCap } from '../../../src/openai/index.js';
import { scriptedAnswer } from './fake-chat-service.js';
import { expectOpenAIError } from './raw-http.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();

function portOf(origin: string): number {
  return Number(new URL(origin).port);
}

/** Opens a connection to the app; resolves once it is established. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection, and when (ms after `since`). */
function untilClosed(socket: Socket, since: number): Promise<{ text: string; afterMs: number }> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    // Writes racing the close fail with EPIPE; the answer is what counts.
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, afterMs: Date.now() - since }));
  });
}

/** Writes `piece` every `everyMs` until the connection closes. */
function trickle(socket: Socket, piece: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(piece);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

/** One request on an open keep-alive connection; resolves with the status line of its answer. */
function exchange(socket: Socket, port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1').split('\r\n', 1)[0] ?? ''));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });
}

describe('request deadlines', () => {
  it('drops a trickling request head at the head deadline with 408 request_timeout', async () => {
    const running = await start({ requestDeadlines: { headersMs: 1000, requestMs: 3000 } });
    const port = portOf(running.origin);
    const socket = await open(port);
    const started = Date.now();
    const closed = untilClosed(socket, started);
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    trickle(socket, 'x-slow: 1\r\n', 200);
    const { text, afterMs } = await closed;
    expect(afterMs).toBeGreaterThanOrEqual(950);
    expect(afterMs).toBeLessThan(2000);
    expectOpenAIError(text, 'HTTP/1.1 408 Request Timeout', 'request_timeout');
  });

  it('closes a connection that sends nothing at the head deadline', async () => {
    const running = await start({ requestDeadlines: { headersMs: 800, requestMs: 3000 } });
    const started = Date.now();
    const { afterMs } = await untilClosed(await open(portOf(running.origin)), started);
    expect(afterMs).toBeGreaterThanOrEqual(750);
    expect(afterMs).toBeLessThan(1800);
  });

  it('ends a trickling body at the request deadline with an OpenAI-shaped 408 request_timeout', async () => {
    const running = await start({ requestDeadlines: { headersMs: 500, requestMs: 1500 } });
    const port = portOf(running.origin);
    const socket = await open(port);
    const started = Date.now();
    const closed = untilClosed(socket, started);
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`);
    trickle(socket, ' ', 200);
    const { text, afterMs } = await closed;
    expect(afterMs).toBeGreaterThanOrEqual(1450);
    expect(afterMs).toBeLessThan(2500);
    const message = expectOpenAIError(text, 'HTTP/1.1 408 Request Timeout', 'request_timeout');
    expect(message).toContain('body_timeout_seconds');
    expect(running.fake.requests).toHaveLength(0);
  });

  it('keeps a kept-alive connection idle between requests for longer than both deadlines', async () => {
    const running = await start({ requestDeadlines: { headersMs: 400, requestMs: 800 } });
    const port = portOf(running.origin);
    const socket = await open(port);
    expect(await exchange(socket, port, '/health')).toBe('HTTP/1.1 200 OK');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(socket.destroyed).toBe(false);
    expect(await exchange(socket, port, '/v1/models')).toBe('HTTP/1.1 200 OK');
    socket.destroy();
  });

  it('delivers an answer that takes longer than both deadlines once the request is in', async () => {
    const running = await start({ requestDeadlines: { headersMs: 400, requestMs: 800 } });
    running.fake.behaviour = async (_request, signal) =>
      scriptedAnswer([{ delayMs: 2000 }, [{ type: 'text-delta', text: 'Late but whole' }], [{ type: 'finish', finishReason: 'stop' }]], signal).answer;
    const completion = await running.client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Take your time' }] });
    expect(completion.choices[0]?.message.content).toBe('Late but whole');
  });
});

describe('connections per address', () => {
  it('refuses a connection over the cap with 429 too_many_connections, read by the SDK, until one closes', async () => {
    const running = await start({ connectionCap: createConnectionCap({ maxPerAddress: 2 }) });
    const port = portOf(running.origin);
    const held = [await open(port), await open(port)];
    const client = new OpenAI({ baseURL: `${running.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
    const refused = await client.models.list().then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 429, code: 'too_many_connections', type: 'rate_limit_error' });

    held[0]?.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    held[1]?.destroy();
  });
});
