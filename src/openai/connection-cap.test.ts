import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectionCap, normalizeAddress, type ConnectionCap } from './connection-cap.js';

let server: Server | undefined;
let cap: ConnectionCap | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  cap?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  cap = undefined;
});

/** A plain HTTP server answering `ok`, behind a cap, listening on `host`; resolves with its port. */
async function startCapped(maxPerAddress: number, host = '127.0.0.1', refused: string[] = []): Promise<number> {
  server = createServer((_request, response) => response.end('ok'));
  cap = createConnectionCap({ maxPerAddress, refusedLingerMs: 1000, onRefused: (address) => refused.push(address) });
  cap.attach(server);
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, host, resolve));
  return (listening.address() as AddressInfo).port;
}

/** Opens a connection and resolves once it is established. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Everything the server sends until it closes, and whether it closed cleanly. */
function untilClosed(socket: Socket): Promise<{ text: string; reset: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    let reset = false;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => (reset = true));
    socket.on('close', () => resolve({ text, reset }));
  });
}

/** One GET on `socket`, resolving with the first bytes of the answer. */
function get(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
}

async function waitForCount(address: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 100 && cap?.openConnections(address) !== count; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(cap?.openConnections(address)).toBe(count);
}

describe('normalizeAddress', () => {
  it('maps IPv4-mapped IPv6 to IPv4 and leaves other addresses as they are', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('::FFFF:10.0.0.7')).toBe('10.0.0.7');
    expect(normalizeAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('::1')).toBe('::1');
    expect(normalizeAddress('::ffff:abcd')).toBe('::ffff:abcd');
    expect(normalizeAddress(undefined)).toBeUndefined();
  });
});

describe('createConnectionCap', () => {
  it('refuses the connection over the cap at once with a 429 too_many_connections, then closes it; a closed one frees its slot', async () => {
    const refused: string[] = [];
    const port = await startCapped(2, '127.0.0.1', refused);
    const first = await open(port);
    const second = await open(port);
    await waitForCount('127.0.0.1', 2);

    const third = await open(port);
    // Nothing is sent on the refused connection: the answer comes unasked, and the server closes.
    const refusal = await untilClosed(third);
    expect(refusal.reset).toBe(false);
    const [head = '', body = ''] = refusal.text.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 429 Too Many Requests');
    expect(head).toContain('connection: close');
    expect(JSON.parse(body)).toEqual({ error: { message: expect.stringContaining('max_connections_per_address'), type: 'rate_limit_error', param: null, code: 'too_many_connections' } });
    expect(refused).toEqual(['127.0.0.1']);
    expect(await get(first)).toMatch(/^HTTP\/1\.1 200/);

    second.destroy();
    await waitForCount('127.0.0.1', 1);
    const fourth = await open(port);
    expect(await get(fourth)).toMatch(/^HTTP\/1\.1 200/);
  });

  it('lets a client that sent its request read the 429 instead of a reset', async () => {
    const port = await startCapped(1);
    await open(port);
    await waitForCount('127.0.0.1', 1);
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(256 * 1024) });
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: { code: 'too_many_connections' } });
  });

  it('counts IPv4 clients of a dual-stack server under their IPv4 address', async () => {
    const port = await startCapped(1, '::');
    await open(port);
    await waitForCount('127.0.0.1', 1);
    expect(cap?.openConnections('::ffff:127.0.0.1')).toBe(1);
    const refusal = await untilClosed(await open(port));
    expect(refusal.text).toMatch(/^HTTP\/1\.1 429/);
  });

  it('stops counting an exempted connection', async () => {
    const port = await startCapped(1);
    const accepted: Socket[] = [];
    server?.on('request', (request) => accepted.push(request.socket));
    const worker = await open(port);
    expect(await get(worker)).toMatch(/^HTTP\/1\.1 200/);
    cap?.exempt(accepted[0] as Socket);
    expect(cap?.openConnections('127.0.0.1')).toBe(0);
    const client = await open(port);
    expect(await get(client)).toMatch(/^HTTP\/1\.1 200/);
    // Closing the exempted connection gives back nothing it no longer holds.
    worker.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cap?.openConnections('127.0.0.1')).toBe(1);
  });

  it('does not cap at 0', async () => {
    const port = await startCapped(0);
    const all = await Promise.all([open(port), open(port), open(port)]);
    for (const socket of all) expect(await get(socket)).toMatch(/^HTTP\/1\.1 200/);
  });
});
