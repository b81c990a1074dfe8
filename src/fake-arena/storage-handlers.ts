import { readBody, send } from './http-utils.js';
import { s3Error } from './object-store.js';
import type { RouteContext } from './route-context.js';
import { injectionHeader } from './route-context.js';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT, OPTIONS',
  'access-control-allow-headers': 'content-type',
};
const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** A 1×1 PNG, served for every generated image. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** An MP4 `ftyp` box: enough to be recognised as video/mp4. */
const TINY_MP4 = Buffer.from('AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDE=', 'base64');

/** Answers an S3-style XML error; returns true (the request was handled). */
function xmlError(context: RouteContext, status: number, code: string, message: string): true {
  send(context.response, status, s3Error(code, message), { 'content-type': 'application/xml', ...CORS });
  return true;
}

/**
 * The fake object store behind presigned URLs (§8.2): `PUT /upload/<key>` stores bytes,
 * `GET /files/<key>` serves them; both 403 when the signature is wrong or expired.
 */
export async function handleStorage(context: RouteContext): Promise<boolean> {
  const { request, response, url, state } = context;
  const upload = /^\/upload\/([^/]+)$/.exec(url.pathname);
  const download = /^\/files\/([^/]+)$/.exec(url.pathname);
  if (upload === null && download === null) return false;
  if (request.method === 'OPTIONS') {
    send(response, 204, '', { ...CORS, 'access-control-max-age': '600' });
    return true;
  }
  if (upload !== null) {
    if (request.method !== 'PUT') return xmlError(context, 405, 'MethodNotAllowed', 'Use PUT');
    const key = decodeURIComponent(upload[1] ?? '');
    const body = await readBody(request, UPLOAD_LIMIT_BYTES);
    const injections = state.injections.take('upload', url.pathname, injectionHeader(context), undefined);
    if (injections.has('upload-put-forbidden')) return xmlError(context, 403, 'AccessDenied', 'Access Denied');
    const problem = state.objects.check('PUT', key, url.searchParams);
    if (problem === 'expired') return xmlError(context, 403, 'AccessDenied', 'Request has expired');
    if (problem !== undefined) return xmlError(context, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (body.tooLarge) return xmlError(context, 413, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    const contentType = request.headers['content-type'] ?? 'application/octet-stream';
    state.objects.objects.set(key, { bytes: body.bytes, contentType });
    send(response, 200, '', { etag: `"${body.bytes.length.toString(16)}"`, ...CORS });
    return true;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return xmlError(context, 405, 'MethodNotAllowed', 'Use GET');
  const key = decodeURIComponent(download?.[1] ?? '');
  const problem = state.objects.check('GET', key, url.searchParams);
  if (problem === 'expired') return xmlError(context, 403, 'AccessDenied', 'Request has expired');
  if (problem !== undefined) return xmlError(context, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  const stored = state.objects.objects.get(key);
  if (stored === undefined) return xmlError(context, 404, 'NoSuchKey', 'The specified key does not exist.');
  send(response, 200, stored.bytes, { 'content-type': stored.contentType, ...CORS });
  return true;
}

/** Generated media: `GET /images/<id>.png` and `GET /videos/<id>.mp4`. */
export function handleMedia(context: RouteContext): boolean {
  const path = context.url.pathname;
  if (/^\/images\/[^/]+\.png$/.test(path)) {
    send(context.response, 200, TINY_PNG, { 'content-type': 'image/png', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=3600' });
    return true;
  }
  if (/^\/videos\/[^/]+\.mp4$/.test(path)) {
    send(context.response, 200, TINY_MP4, { 'content-type': 'video/mp4', 'access-control-allow-origin': '*' });
    return true;
  }
  return false;
}
