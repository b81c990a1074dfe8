/** Raw-socket HTTP for tests that send bytes no HTTP client would: one exchange per connection. */
import { connect } from 'node:net';
import { expect } from 'vitest';

/** Options of {@link exchangeRaw}. */
export interface RawExchangeOptions {
  /** Half-close the connection after writing (the client sends nothing more). @default false */
  endAfterWrite?: boolean;
  /** Fail when the server has not closed the connection by then. @default 5000 */
  closeWithinMs?: number;
  /** The address to connect to. @default '127.0.0.1' */
  host?: string;
}

/**
 * Writes `bytes` to `127.0.0.1:port` (or `options.host`) and resolves with everything the server
 * sent once it closed the connection; rejects when it does not close in time.
 */
export function exchangeRaw(port: number, bytes: string, options: RawExchangeOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, options.host ?? '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection; it sent: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`));
    }, options.closeWithinMs ?? 5000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes, 'latin1');
    if (options.endAfterWrite === true) socket.end();
  });
}

/** Writes `bytes` to `127.0.0.1:port` and resolves with the first chunk the server sends, then closes. */
export function firstChunk(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('latin1'));
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('the server closed the connection without answering')));
    socket.write(bytes, 'latin1');
  });
}

/** One HTTP/1.1 response, split. */
export interface RawResponse {
  statusLine: string;
  headers: Map<string, string>;
  body: string;
}

/** Splits raw bytes into exactly one response whose body is as long as its Content-Length says (nothing follows). */
export function parseSingleResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  expect(end, raw).toBeGreaterThan(0);
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(end + 4);
  expect(headers.get('content-length'), raw).toBe(String(Buffer.byteLength(body, 'latin1')));
  return { statusLine, headers, body };
}

/** Asserts one OpenAI-shaped JSON error response with this status line and code, and returns its message. */
export function expectOpenAIError(raw: string, statusLine: string, code: string): string {
  const response = parseSingleResponse(raw);
  expect(response.statusLine, raw).toBe(statusLine);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const parsed: unknown = JSON.parse(response.body);
  expect(parsed).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: null, code } });
  return (parsed as { error: { message: string } }).error.message;
}
