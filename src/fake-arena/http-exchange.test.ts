import { IncomingMessage } from 'node:http';
import { connect, constants, createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestHost, writeHead } from './http-exchange.js';
import { generateSelfSignedCertificate } from './tls-certificate.js';

describe('requestHost', () => {
  it('reads Host under HTTP/1.1', () => {
    const request = new IncomingMessage(new Socket());
    request.headers = { host: 'example.test:8080' };
    expect(requestHost(request)).toBe('example.test:8080');
    request.headers = { host: '' };
    expect(requestHost(request)).toBeUndefined();
  });
});

describe('under HTTP/2', () => {
  it('writeHead drops the connection-specific headers; requestHost reads :authority', async () => {
    const credentials = await generateSelfSignedCertificate();
    const server = createSecureServer(credentials, (request, response) => {
      try {
        writeHead(response, 200, { connection: 'keep-alive', 'Keep-Alive': 'timeout=5', 'transfer-encoding': 'chunked', upgrade: 'h2c', 'proxy-connection': 'close', 'x-kept': '1' });
        response.end(requestHost(request) ?? '');
      } catch {
        // Node refuses such headers by throwing; reset the stream so the test fails at once, not by timeout.
        response.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const session = connect(`https://127.0.0.1:${port}`, { ca: credentials.cert });
    try {
      const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const stream = session.request({ ':path': '/', ':authority': 'lmarena.ai' });
        let received: Record<string, unknown> = {};
        let text = '';
        stream.on('response', (value) => { received = value; });
        stream.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
        stream.on('end', () => resolve({ headers: received, body: text }));
        stream.on('error', reject);
      });
      expect(headers[':status']).toBe(200);
      expect(headers['x-kept']).toBe('1');
      for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']) expect(headers[name]).toBeUndefined();
      expect(body).toBe('lmarena.ai');
    } finally {
      session.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
