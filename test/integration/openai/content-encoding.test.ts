import { request as httpRequest } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { postRaw, startTestApp, type TestApp } from './start-test-app.js';

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const LIMIT = 1024 * 1024;
const CONTENT = 'Bonjour, ça va ? '.repeat(500);
const CHAT_BODY = Buffer.from(JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: CONTENT }] }));

/** POSTs raw bytes to the chat route with the given headers. */
async function post(origin: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; json: { error?: { code: string; type: string; message: string } } }> {
  const response = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: Uint8Array.from(body) });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; type: string; message: string } } };
}

/** POSTs `body` with chunked transfer encoding (no Content-Length), in 4 KiB writes. */
function postChunked(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    for (let offset = 0; offset < body.length; offset += 4096) outgoing.write(body.subarray(offset, offset + 4096));
    outgoing.end();
  });
}

describe('Content-Encoding of request bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s JSON body and answers it as usual', async (encoding, compress) => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    running.fake.answerWith([[{ type: 'text-delta', text: 'ok' }], [{ type: 'finish', finishReason: 'stop' }]]);
    const compressed = compress(CHAT_BODY);
    expect(compressed.length).toBeLessThan(CHAT_BODY.length / 10);
    const response = await post(running.origin, compressed, { 'content-encoding': encoding });
    expect(response.status).toBe(200);
    expect(running.fake.requests[0]?.messages[0]?.content).toBe(CONTENT);
  });

  it('decodes a chunked gzip upload, and leaves identity bodies as they are', async () => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    running.fake.answerWith([[{ type: 'finish', finishReason: 'stop' }]]);
    const chunked = await postChunked(`${running.origin}/v1/chat/completions`, gzipSync(CHAT_BODY), { 'content-encoding': 'gzip' });
    expect(chunked.status).toBe(200);
    running.fake.answerWith([[{ type: 'finish', finishReason: 'stop' }]]);
    expect((await post(running.origin, CHAT_BODY, { 'content-encoding': 'identity' })).status).toBe(200);
    expect(running.fake.requests.map((request) => request.messages[0]?.content)).toEqual([CONTENT, CONTENT]);
  });

  it('answers 413 request_too_large for a gzip bomb without holding more than about the limit', async () => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    // 100 gzip members of 8 MiB of zeros each: 800 MiB once decoded, under 1 MiB on the wire.
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 100 }, () => member));
    expect(bomb.length).toBeLessThan(LIMIT);
    const before = process.memoryUsage();
    const response = await post(running.origin, bomb, { 'content-encoding': 'gzip' });
    const after = process.memoryUsage();
    expect(response.status).toBe(413);
    expect(response.json.error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });
    expect(response.json.error?.message).toContain('once decoded from gzip');
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * LIMIT);
    expect(running.fake.requests).toHaveLength(0);
  });

  it('answers 413 for a compressed body whose own size is over the limit, before decoding', async () => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    const incompressible = Buffer.from(Array.from({ length: 2 * LIMIT }, (_, index) => (index * 7919) % 251));
    const response = await post(running.origin, gzipSync(incompressible), { 'content-encoding': 'gzip' });
    expect([response.status, response.json.error?.code]).toEqual([413, 'request_too_large']);
  });

  it.each(['zstd', 'compress', 'gzip, br'])('answers 415 for Content-Encoding %j and never reads the body as plain JSON', async (encoding) => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    const response = await post(running.origin, CHAT_BODY, { 'content-encoding': encoding });
    expect(response.status).toBe(415);
    expect(response.json.error).toMatchObject({ code: 'unsupported_content_encoding', type: 'invalid_request_error' });
    expect(running.fake.requests).toHaveLength(0);
  });

  it('answers 415 for a body that does not decode as its Content-Encoding says', async () => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    const plain = await post(running.origin, CHAT_BODY, { 'content-encoding': 'gzip' });
    expect([plain.status, plain.json.error?.code]).toEqual([415, 'unsupported_content_encoding']);
    expect(plain.json.error?.message).toContain('not valid gzip data');
    const corrupt = gzipSync(CHAT_BODY);
    corrupt.fill(0x55, 20, 40);
    const broken = await post(running.origin, corrupt, { 'content-encoding': 'gzip' });
    expect([broken.status, broken.json.error?.code]).toEqual([415, 'unsupported_content_encoding']);
    const truncated = await post(running.origin, gzipSync(CHAT_BODY).subarray(0, -4), { 'content-encoding': 'gzip' });
    expect([truncated.status, truncated.json.error?.code]).toEqual([415, 'unsupported_content_encoding']);
    const mislabelled = await post(running.origin, gzipSync(CHAT_BODY), { 'content-encoding': 'br' });
    expect([mislabelled.status, mislabelled.json.error?.code]).toEqual([415, 'unsupported_content_encoding']);
    expect(running.fake.requests).toHaveLength(0);
  });

  it('keeps answering on the same server after refusals', async () => {
    running = await startTestApp({ maxBodyBytes: LIMIT });
    await post(running.origin, CHAT_BODY, { 'content-encoding': 'zstd' });
    running.fake.answerWith([[{ type: 'finish', finishReason: 'stop' }]]);
    const response = await postRaw(`${running.origin}/v1/chat/completions`, CHAT_BODY.toString());
    expect(response.status).toBe(200);
  });
});
