import { Transform, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../core/errors/index.js';

/** A request body as Fastify reads it; `receivedEncodedLength` counts the bytes that came over the wire. */
export type RequestBodyStream = Readable & { receivedEncodedLength?: number };

/** `deflate` is the zlib format (RFC 9110 §8.4.1.2); raw deflate streams do not decode. */
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

const SUPPORTED = 'gzip, deflate or br';

function unsupported(message: string, cause?: unknown): InvalidRequestError {
  return new InvalidRequestError(message, { code: 'unsupported_content_encoding', cause });
}

/**
 * The body of a request with `Content-Encoding` `contentEncoding`, decoded as it streams:
 * `payload` itself when there is no encoding (or `identity`), else a stream of the decoded bytes
 * that fails with 413 `request_too_large` as soon as more than `limit` bytes come out (a
 * compression bomb never costs more than about `limit`), and with 415
 * `unsupported_content_encoding` when the bytes do not decode. Other encodings, and more than one
 * stacked, throw 415 at once.
 */
export function decodeRequestBody(payload: RequestBodyStream, contentEncoding: string | undefined, limit: number): RequestBodyStream {
  const codings = (contentEncoding ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '' && coding !== 'identity');
  const coding = codings[0];
  if (coding === undefined) return payload;
  if (codings.length > 1) throw unsupported(`The request body has several Content-Encodings (${codings.join(', ')}); the bridge decodes one: send it uncompressed or as ${SUPPORTED}.`);
  const createDecoder = DECODERS[coding];
  if (createDecoder === undefined) throw unsupported(`The request body's Content-Encoding '${coding}' is not one the bridge decodes; send it uncompressed or as ${SUPPORTED}.`);

  const decoder = createDecoder();
  let encodedLength = 0;
  let decodedLength = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      decodedLength += chunk.length;
      if (decodedLength <= limit) return callback(null, chunk);
      callback(new InvalidRequestError(
        `The request body is larger than the bridge accepts once decoded from ${coding} (over ${limit} bytes); send a smaller body (inline attachments count) or raise max_request_body_mb in config.jsonc.`,
        { code: 'request_too_large' },
      ));
    },
  });
  // Fastify compares this with Content-Length and with the limit.
  Object.defineProperty(body, 'receivedEncodedLength', { get: () => encodedLength });
  payload.on('data', (chunk: Buffer) => {
    encodedLength += chunk.length;
  });
  payload.on('error', (error) => body.destroy(error));
  decoder.on('error', (error) => body.destroy(unsupported(`The request body is not valid ${coding} data (${error.message}); send it uncompressed, or encoded as its Content-Encoding says.`, error)));
  body.on('close', () => {
    // Stop decompressing once the body failed or was abandoned; the rest of the upload drains unread.
    payload.unpipe(decoder);
    decoder.destroy();
    payload.resume();
  });
  payload.pipe(decoder).pipe(body);
  return body;
}

/**
 * Fastify `preParsing` hook: bodies with a `Content-Encoding` reach the content-type parsers
 * decoded (see {@link decodeRequestBody}), under the route's body limit. Requests without a body
 * are left alone.
 */
export async function decodeRequestBodyHook(request: FastifyRequest, _reply: FastifyReply, payload: RequestBodyStream): Promise<RequestBodyStream> {
  const { headers } = request;
  if (headers['content-encoding'] === undefined || request.method === 'GET' || request.method === 'HEAD') return payload;
  if (headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0')) return payload;
  return decodeRequestBody(payload, headers['content-encoding'], request.routeOptions.bodyLimit);
}
