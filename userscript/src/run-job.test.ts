import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeConnection } from './test-support/fake-bridge.js';
import { connectAgent } from './test-support/connected-agent.js';
import { delay, startUpstream, type ReceivedRequest, type Upstream } from './test-support/upstream-server.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Handler = (request: ReceivedRequest, response: ServerResponse, raw: IncomingMessage) => unknown;

async function setup(handler: Handler): Promise<{ connection: BridgeConnection; upstream: Upstream }> {
  const upstream = await startUpstream(handler);
  cleanups.push(() => upstream.close());
  const { connection } = await connectAgent({ origin: upstream.origin, cleanups });
  return { connection, upstream };
}

function chunksOf(connection: BridgeConnection, jobId: string): string[] {
  return connection.messages.flatMap((message) => (message.type === 'job-chunk' && message.jobId === jobId ? [message.data] : []));
}

describe('runJob', () => {
  it('streams status, lower-case headers and a body whose multi-byte characters were split across writes', async () => {
    const text = 'a0:"héllo 🌍 — 你好"\nad:{"finishReason":"stop"}\n';
    const bytes = Buffer.from(text, 'utf8');
    const emoji = bytes.indexOf(Buffer.from('🌍', 'utf8'));
    const cuts = [emoji + 1, emoji + 3, bytes.indexOf(Buffer.from('你', 'utf8')) + 2, bytes.length];
    const { connection, upstream } = await setup(async (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Request-Id': 'r-1' });
      let start = 0;
      for (const cut of cuts) {
        response.write(bytes.subarray(start, cut));
        start = cut;
        await delay(30);
      }
      response.end();
    });
    connection.send({
      type: 'job-start',
      jobId: 'j-1',
      window: 64,
      request: { method: 'POST', url: '/nextjs-api/stream/create-evaluation', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: { kind: 'json', value: { a: 1 } } },
    });
    const response = await connection.take('job-response');
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/event-stream', 'x-request-id': 'r-1' });
    await connection.take('job-end');
    const chunks = chunksOf(connection, 'j-1');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(text);
    expect(chunks.some((chunk) => chunk.includes('\uFFFD'))).toBe(false);
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/nextjs-api/stream/create-evaluation' });
    expect(upstream.requests[0]?.body.toString()).toBe('{"a":1}');
    const order = connection.messages.map((message) => message.type).filter((type) => type.startsWith('job-'));
    expect(order[0]).toBe('job-response');
    expect(order.at(-1)).toBe('job-end');
  });

  it('stops reading the upstream body when credits run out, until a job-ack', async () => {
    const total = 24 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    const { connection } = await setup(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      while (written < total) {
        written += piece.length;
        if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
    });
    connection.send({ type: 'job-start', jobId: 'slow', window: 2, request: { method: 'GET', url: '/big', headers: {} } });
    await connection.take('job-chunk');
    await connection.take('job-chunk');
    await delay(300);
    const stalledAt = written;
    await delay(300);
    expect(written).toBe(stalledAt);
    expect(written).toBeLessThan(total);
    expect(chunksOf(connection, 'slow')).toHaveLength(2);

    connection.send({ type: 'job-ack', jobId: 'slow', credit: 1 });
    await connection.take('job-chunk');
    await delay(100);
    expect(chunksOf(connection, 'slow')).toHaveLength(3);

    connection.send({ type: 'job-ack', jobId: 'slow', credit: 100_000 });
    await connection.take('job-end', undefined, 20_000);
    expect(chunksOf(connection, 'slow').reduce((sum, chunk) => sum + chunk.length, 0)).toBe(total);
  });

  it('aborts the upstream request on job-cancel and sends nothing after the aborted error', async () => {
    let upstreamClosed = false;
    const { connection } = await setup((_request, response, raw) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('a0:"."\n'), 20);
      raw.socket.once('close', () => {
        upstreamClosed = true;
        clearInterval(timer);
      });
    });
    connection.send({ type: 'job-start', jobId: 'c-1', window: 1000, request: { method: 'GET', url: '/forever', headers: {} } });
    await connection.take('job-chunk');
    connection.send({ type: 'job-cancel', jobId: 'c-1', reason: 'client went away' });
    const error = await connection.take('job-error');
    expect(error).toMatchObject({ jobId: 'c-1', reason: 'aborted' });
    await expect.poll(() => upstreamClosed).toBe(true);
    const count = connection.messages.length;
    await delay(150);
    expect(connection.messages.slice(count)).toEqual([]);
    expect(connection.messages.slice(connection.messages.indexOf(error) + 1).filter((m) => 'jobId' in m)).toEqual([]);
  });

  it('sends text bodies as they are and base64 bodies as bytes', async () => {
    const { connection, upstream } = await setup((_request, response) => response.end('ok'));
    const bytes = Buffer.from([0, 255, 1, 128, 0x7f]);
    connection.send({ type: 'job-start', jobId: 't', window: 4, request: { method: 'PUT', url: '/text', headers: {}, body: { kind: 'text', value: 'raw ✓' } } });
    await connection.take('job-end', (message) => message.jobId === 't');
    connection.send({ type: 'job-start', jobId: 'b', window: 4, request: { method: 'PUT', url: `${upstream.origin}/upload`, headers: {}, body: { kind: 'base64', value: bytes.toString('base64') } } });
    await connection.take('job-end', (message) => message.jobId === 'b');
    expect(upstream.requests.map((request) => request.body)).toEqual([Buffer.from('raw ✓'), bytes]);
    expect(chunksOf(connection, 'b')).toEqual(['ok']);
  });

  it('reports network failures and bad requests as job-error', async () => {
    const { connection, upstream } = await setup((_request, response) => response.destroy());
    connection.send({ type: 'job-start', jobId: 'n', window: 4, request: { method: 'GET', url: '/reset', headers: {} } });
    expect(await connection.take('job-error', (message) => message.jobId === 'n')).toMatchObject({ reason: 'network' });
    connection.send({ type: 'job-start', jobId: 'g', window: 4, request: { method: 'GET', url: '/', headers: {}, body: { kind: 'text', value: 'x' } } });
    expect(await connection.take('job-error', (message) => message.jobId === 'g')).toMatchObject({ reason: 'bad-request' });
    connection.send({ type: 'job-start', jobId: 'd', window: 4, request: { method: 'PUT', url: '/', headers: {}, body: { kind: 'base64', value: '%%%' } } });
    expect(await connection.take('job-error', (message) => message.jobId === 'd')).toMatchObject({ reason: 'bad-request' });
    expect(upstream.requests).toHaveLength(1);
    expect(connection.messages.some((message) => message.type === 'job-response')).toBe(false);
  });
});
