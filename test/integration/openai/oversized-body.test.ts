/**
 * A body over the limit is answered with 413 that clients still sending it can read: the official
 * SDK and Node's fetch (from a process of their own, as in real use), and raw sockets that keep
 * sending, stop sending, or send far more than the bridge reads.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectOpenAIError } from './raw-http.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();
const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('../../support/oversized-body-client.mjs', import.meta.url));
const MIB = 1024 * 1024;

/** Runs `tries` oversized requests from another process; resolves with the outcomes counted. */
async function clientOutcomes(baseURL: string, mode: 'sdk' | 'fetch', bodyBytes: number, tries: number): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [CLIENT, baseURL, mode, String(bodyBytes), String(tries)], { timeout: 30_000 });
  return (JSON.parse(stdout) as { outcomes: Record<string, number> }).outcomes;
}

/** A connection to `origin` that records what the server sends and how the connection ended. */
interface Recorded {
  socket: Socket;
  text(): string;
  /** Resolves once the server closed: `reset` when it came as ECONNRESET/EPIPE, with the ms since opening. */
  closed: Promise<{ reset: boolean; afterMs: number }>;
  /** Resolves once at least one full response head has arrived. */
  answered: Promise<void>;
}

function record(origin: string): Recorded {
  const url = new URL(origin);
  const socket = connect(Number(url.port), url.hostname);
  const opened = Date.now();
  let text = '';
  let reset = false;
  let onAnswer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (onAnswer = resolve));
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    if (text.includes('\r\n\r\n')) onAnswer();
  });
  socket.on('error', () => (reset = true));
  const closed = new Promise<{ reset: boolean; afterMs: number }>((resolve) => socket.on('close', () => resolve({ reset, afterMs: Date.now() - opened })));
  return { socket, text: () => text, closed, answered };
}

function head(origin: string, framing: string): string {
  return `POST /v1/chat/completions HTTP/1.1\r\nHost: ${new URL(origin).host}\r\ncontent-type: application/json\r\n${framing}\r\n\r\n`;
}

/** Writes `total` bytes in 64 KiB pieces, honouring backpressure; resolves with how many were accepted. */
async function pour(socket: Socket, total: number, frame: (piece: Buffer) => Buffer | string = (piece) => piece): Promise<number> {
  const piece = Buffer.alloc(64 * 1024, 'a');
  let written = 0;
  while (written < total && !socket.destroyed) {
    written += piece.length;
    if (!socket.write(frame(piece))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }
  return written;
}

describe('a body over max_request_body_mb', () => {
  it('reaches the official SDK as APIError 413 request_too_large, 20 times in a row', async () => {
    const running = await start({ maxBodyBytes: MIB });
    expect(await clientOutcomes(`${running.origin}/v1`, 'sdk', 6 * MIB, 20)).toEqual({ '413:request_too_large': 20 });
  });

  it("reaches Node's fetch as 413 request_too_large, 20 times in a row", async () => {
    const running = await start({ maxBodyBytes: MIB });
    expect(await clientOutcomes(`${running.origin}/v1`, 'fetch', 6 * MIB, 20)).toEqual({ '413:request_too_large': 20 });
  });

  it('is answered at once and read to its end while the client keeps sending, then closed cleanly', async () => {
    const running = await start({ maxBodyBytes: MIB });
    const connection = record(running.origin);
    connection.socket.write(head(running.origin, `content-length: ${6 * MIB}`));
    await pour(connection.socket, 2 * MIB);
    await connection.answered;
    expectOpenAIError(connection.text(), 'HTTP/1.1 413 Payload Too Large', 'request_too_large');
    expect(await pour(connection.socket, 4 * MIB)).toBe(4 * MIB);
    const { reset } = await connection.closed;
    expect(reset).toBe(false);
    expect(running.fake.requests).toHaveLength(0);
  });

  it('is answered the same way when a chunked body crosses the limit', async () => {
    const running = await start({ maxBodyBytes: MIB });
    const connection = record(running.origin);
    connection.socket.write(head(running.origin, 'transfer-encoding: chunked'));
    const chunk = (piece: Buffer): Buffer => Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
    await pour(connection.socket, 2 * MIB, chunk);
    await connection.answered;
    expectOpenAIError(connection.text(), 'HTTP/1.1 413 Payload Too Large', 'request_too_large');
    await pour(connection.socket, 2 * MIB, chunk);
    connection.socket.write('0\r\n\r\n');
    const { reset } = await connection.closed;
    expect(reset).toBe(false);
  });

  it('does not wait for a huge declared body that stops arriving: the connection closes at the discard deadline', async () => {
    const running = await start({ maxBodyBytes: MIB, refusedBodyDiscard: { maxBytes: 64 * MIB, maxMs: 700 } });
    const connection = record(running.origin);
    connection.socket.write(head(running.origin, `content-length: ${1024 * MIB}`));
    await pour(connection.socket, 2 * MIB);
    await connection.answered;
    const answeredAt = Date.now();
    const { afterMs } = await connection.closed;
    expectOpenAIError(connection.text(), 'HTTP/1.1 413 Payload Too Large', 'request_too_large');
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(500);
    expect(afterMs).toBeLessThan(3000);
  });

  it('stops reading after the discard allowance: a client pouring on is cut off', async () => {
    const running = await start({ maxBodyBytes: MIB, refusedBodyDiscard: { maxBytes: 2 * MIB, maxMs: 10_000 } });
    const connection = record(running.origin);
    connection.socket.write(head(running.origin, `content-length: ${1024 * MIB}`));
    const accepted = await pour(connection.socket, 64 * MIB);
    const { afterMs } = await connection.closed;
    expectOpenAIError(connection.text(), 'HTTP/1.1 413 Payload Too Large', 'request_too_large');
    expect(accepted).toBeLessThan(64 * MIB);
    expect(afterMs).toBeLessThan(5000);
  });
});
