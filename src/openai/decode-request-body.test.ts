import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isBridgeError } from '../core/errors/index.js';
import { decodeRequestBody, type RequestBodyStream } from './decode-request-body.js';

const JSON_BODY = Buffer.from(JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'héllo '.repeat(2000) }] }));

/** Reads a body to the end: its bytes, or the BridgeError it failed with. */
async function read(body: RequestBodyStream): Promise<{ bytes: Buffer } | { code: string; status: number; readBytes: number }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    if (!isBridgeError(error)) throw error;
    return { code: error.code, status: error.status, readBytes: Buffer.concat(chunks).length };
  }
}

/** `bytes` as a stream in 1 KiB pieces, like a request arriving over the network. */
function source(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 1024) pieces.push(bytes.subarray(offset, offset + 1024));
  return Readable.from(pieces, { objectMode: false });
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isBridgeError(error) ? `${error.status} ${error.code}` : 'not a BridgeError';
  }
  return undefined;
}

describe('decodeRequestBody', () => {
  it.each([undefined, '', 'identity', ' Identity '])('hands back the body itself for Content-Encoding %j', (header) => {
    const payload = source(JSON_BODY);
    expect(decodeRequestBody(payload, header, 1024)).toBe(payload);
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['GZIP', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['identity, br', brotliCompressSync],
  ] as const)('decodes %s and counts the encoded bytes for Fastify', async (header, compress) => {
    const encoded = compress(JSON_BODY);
    const body = decodeRequestBody(source(encoded), header, JSON_BODY.length);
    expect(await read(body)).toEqual({ bytes: JSON_BODY });
    expect(body.receivedEncodedLength).toBe(encoded.length);
  });

  it('refuses other and stacked encodings at once with 415', () => {
    expect(codeOf(() => decodeRequestBody(source(JSON_BODY), 'zstd', 1024))).toBe('415 unsupported_content_encoding');
    expect(codeOf(() => decodeRequestBody(source(JSON_BODY), 'compress', 1024))).toBe('415 unsupported_content_encoding');
    expect(codeOf(() => decodeRequestBody(source(JSON_BODY), 'gzip, br', 1024))).toBe('415 unsupported_content_encoding');
  });

  it.each([
    ['gzip', Buffer.from('this is not gzip at all')],
    ['gzip', gzipSync(JSON_BODY).subarray(0, -4)],
    ['deflate', deflateRawSync(JSON_BODY)],
    ['br', Buffer.from('definitely not brotli')],
  ] as const)('fails a body that is not valid %s with 415', async (header, bytes) => {
    expect(await read(decodeRequestBody(source(bytes), header, 1024 * 1024))).toMatchObject({ status: 415, code: 'unsupported_content_encoding' });
  });

  it('fails with 413 once the decoded body passes the limit, having handed out no more than the limit', async () => {
    const limit = 64 * 1024;
    expect(await read(decodeRequestBody(source(gzipSync(Buffer.alloc(limit, 0x20))), 'gzip', limit))).toEqual({ bytes: Buffer.alloc(limit, 0x20) });
    const over = await read(decodeRequestBody(source(gzipSync(Buffer.alloc(limit + 1, 0x20))), 'gzip', limit));
    expect(over).toMatchObject({ status: 413, code: 'request_too_large' });
    expect(over).toHaveProperty('readBytes', expect.any(Number));
    expect((over as { readBytes: number }).readBytes).toBeLessThanOrEqual(limit);
  });

  it('stops a bomb without reading it all: an endless stream of gzip members fails with 413', async () => {
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    let membersSent = 0;
    let stopped = false;
    // One member per turn of the event loop, as pieces of an upload arrive.
    const endless = Readable.from((async function* members() {
      while (!stopped) {
        await setImmediate();
        membersSent += 1;
        yield member;
      }
    })(), { objectMode: false });
    const result = await read(decodeRequestBody(endless, 'gzip', 1024 * 1024));
    const sentAtFailure = membersSent;
    stopped = true;
    expect(result).toMatchObject({ status: 413, code: 'request_too_large' });
    expect((result as { readBytes: number }).readBytes).toBeLessThanOrEqual(1024 * 1024);
    // A member decodes to 8 MiB, so the failure came within the first few.
    expect(sentAtFailure).toBeLessThan(40);
  });
});
