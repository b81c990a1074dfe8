/** A small node:http2 client for the fake over TLS: one request, its headers and every DATA frame with its arrival time. */
import { connect } from 'node:http2';
import type { ClientHttp2Session, IncomingHttpHeaders, IncomingHttpStatusHeader, OutgoingHttpHeaders } from 'node:http2';
import type { FakeArena } from '../../../src/fake-arena/index.js';

/** What one HTTP/2 request got back. */
export interface H2Exchange {
  headers: IncomingHttpHeaders & IncomingHttpStatusHeader;
  /** The body as it arrived: one entry per DATA frame, with `performance.now()` at arrival. */
  frames: { at: number; bytes: Buffer }[];
  /** The stream's error (a reset stream), if it failed. */
  error: (Error & { code?: string }) | undefined;
  /** The RST_STREAM code the stream closed with (0 for a clean end). */
  rstCode: number | undefined;
  text: string;
}

/** Opens an HTTP/2 session to the fake (or any `url`), trusting its certificate. */
export function openSession(fake: Pick<FakeArena, 'url' | 'certificate'>): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(fake.url, { ca: fake.certificate });
    session.once('error', reject);
    session.once('connect', () => {
      session.off('error', reject);
      resolve(session);
    });
  });
}

/** Sends one request on the session and waits until its stream closes, cleanly or not. */
export function h2Request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: string | Buffer): Promise<H2Exchange> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    const frames: H2Exchange['frames'] = [];
    let responseHeaders: H2Exchange['headers'] | undefined;
    let error: H2Exchange['error'];
    stream.on('response', (received) => {
      responseHeaders = received;
    });
    stream.on('data', (chunk: Buffer) => frames.push({ at: performance.now(), bytes: chunk }));
    stream.on('error', (streamError: Error) => {
      error = streamError;
    });
    stream.on('close', () => {
      if (responseHeaders === undefined) {
        reject(error ?? new Error(`stream closed without a response (code ${stream.rstCode})`));
        return;
      }
      const text = Buffer.concat(frames.map((frame) => frame.bytes)).toString('utf8');
      resolve({ headers: responseHeaders, frames, error, rstCode: stream.rstCode, text });
    });
    if (body !== undefined) stream.end(body);
  });
}

/** Closes the session and waits for it. */
export function closeSession(session: ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    if (session.closed || session.destroyed) resolve();
    else session.close(() => resolve());
  });
}
