import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postRaw, startTestApp, type TestApp } from './start-test-app.js';

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const LIMIT = 1024 * 1024;
const TOTAL = 20 * 1024 * 1024;

/** Streams a 20 MB JSON body in 64 KB pieces (one reused buffer) and resolves with the status. */
function sendHugeBody(url: string, withLength: boolean): Promise<{ status: number; body: string; sentBytes: number }> {
  const piece = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (withLength) headers['content-length'] = TOTAL + 2;
    const outgoing = httpRequest(url, { method: 'POST', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, sentBytes }));
    });
    outgoing.on('error', reject);
    const write = (): void => {
      outgoing.write('"', () => {
        const next = (): void => {
          while (sentBytes < TOTAL && !outgoing.destroyed) {
            sentBytes += piece.length;
            if (!outgoing.write(piece)) return void outgoing.once('drain', next);
          }
          if (!outgoing.destroyed) outgoing.end('"');
        };
        next();
      });
    };
    write();
  });
}

describe('request body limit', () => {
  for (const withLength of [true, false]) {
    it(`refuses a 20 MB body with 413 request_too_large without buffering it (${withLength ? 'content-length' : 'chunked'})`, async () => {
      running = await startTestApp({ maxBodyBytes: LIMIT });
      const before = process.memoryUsage();
      const result = await sendHugeBody(`${running.origin}/v1/chat/completions`, withLength);
      const after = process.memoryUsage();
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body).error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });
      // Loose bound: well under twice the body, so the server never held the whole of it.
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(2 * TOTAL);
      expect(running.fake.requests).toHaveLength(0);
    });
  }

  it('accepts a body under a raised limit', async () => {
    running = await startTestApp({ maxBodyBytes: 4 * LIMIT });
    const content = 'z'.repeat(2 * LIMIT);
    const response = await postRaw(`${running.origin}/v1/chat/completions`, JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content }] }));
    expect(response.status).toBe(200);
    expect(running.fake.requests[0]?.messages[0]?.content).toHaveLength(2 * LIMIT);
  });
});
