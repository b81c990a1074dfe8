import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AuthenticationError, InvalidRequestError } from '../../core/errors/index.js';

/** A file as the file host route serves it. */
export interface HostedFileRecord {
  id: string;
  name: string;
  contentType: string;
  size: number;
  expiresAt: number;
}

/** The store behind the routes (the data-dir file store, passed by the composition root). */
export interface FileHostStore {
  readonly maxBytes: number;
  put(file: { name: string; contentType: string; bytes: Uint8Array }): Promise<HostedFileRecord>;
  get(id: string): Promise<{ info: HostedFileRecord; bytes: Buffer } | undefined>;
}

/** Options of {@link registerFileHostRoutes}. */
export interface FileHostRouteOptions {
  files: FileHostStore;
  /** Key required to upload (`file_host_upload_key`); uploads are refused when undefined. */
  uploadKey: string | undefined;
  /** Base URL files are announced under (`file_host_public_url`, else the bridge's own URL). */
  publicBaseUrl: () => string;
}

const originalUploadSchema = z.object({
  file_name: z.string().min(1).max(255),
  file_data: z.string().startsWith('data:'),
  api_key: z.string().nullish(),
});
const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?(?:;[a-z0-9-]+=[^;,]*)*;base64,/i;
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The built-in file host: `GET /files/<id>` (and `/uploads/<id>`, the original file bed's path)
 * is public because ids are unguessable; `POST /files` (raw bytes) and `POST /upload` (the
 * original's JSON protocol, §11.8) need `file_host_upload_key`. Hosted files are served with a
 * sandboxing CSP so that an uploaded page cannot script the bridge's origin.
 */
export async function registerFileHostRoutes(app: FastifyInstance, options: FileHostRouteOptions): Promise<void> {
  const { files } = options;
  const expected = options.uploadKey === undefined ? undefined : digest(options.uploadKey);

  function authorize(presented: string | undefined): void {
    if (expected === undefined) {
      throw new AuthenticationError('Uploads to the file host are disabled; set file_host_upload_key and send it as "Authorization: Bearer <key>".');
    }
    if (presented === undefined || presented === '') {
      throw new AuthenticationError('Missing file host key; send file_host_upload_key as "Authorization: Bearer <key>" or "x-api-key: <key>".');
    }
    if (!timingSafeEqual(digest(presented), expected)) throw new AuthenticationError('Invalid file host key; use the value of file_host_upload_key.');
  }

  const urlOf = (id: string): string => `${options.publicBaseUrl()}/files/${id}`;

  async function serve(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<Buffer> {
    const found = await files.get(request.params.id);
    if (found === undefined) {
      throw new InvalidRequestError('No such file: it never existed or its time-to-live (file_host_ttl_minutes) has passed.', { code: 'route_not_found' });
    }
    const { info, bytes } = found;
    const asciiName = info.name.replace(/[^\x20-\x7e]/g, '_');
    void reply
      .header('content-type', info.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', `inline; filename="${asciiName}"`)
      .header('cache-control', `private, max-age=${Math.max(0, Math.floor((info.expiresAt - Date.now()) / 1000))}`);
    return bytes;
  }

  const publicRoute = { config: { public: true } };
  app.get<{ Params: { id: string } }>('/files/:id', publicRoute, serve);
  app.get<{ Params: { id: string } }>('/uploads/:id', publicRoute, serve);

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: files.maxBytes }, (_request, body, done) => done(null, body));
    // The key is checked before the body is read, so refused callers cannot make the bridge buffer it.
    const onRequest = async (request: FastifyRequest): Promise<void> => authorize(presentedKey(request));
    scope.post('/files', { ...publicRoute, bodyLimit: files.maxBytes, onRequest }, async (request, reply) => {
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (bytes.length === 0) throw new InvalidRequestError('The upload is empty; send the file as the request body.');
      const header = request.headers['x-file-name'];
      const query = request.query as Record<string, unknown>;
      const name = typeof query['name'] === 'string' ? query['name'] : typeof header === 'string' ? header : 'file';
      const contentType = (request.headers['content-type'] ?? 'application/octet-stream').split(';', 1)[0]?.trim().toLowerCase() || 'application/octet-stream';
      const info = await files.put({ name, contentType, bytes });
      void reply.code(201);
      return { id: info.id, url: urlOf(info.id), content_type: info.contentType, bytes: info.size, expires_at: Math.floor(info.expiresAt / 1000) };
    });
  });

  // The original protocol's JSON carries the file as base64, a third larger than the file.
  const jsonLimit = Math.ceil(files.maxBytes * 4 / 3) + 64 * 1024;
  app.post('/upload', { ...publicRoute, bodyLimit: jsonLimit }, async (request) => {
    const parsed = originalUploadSchema.safeParse(request.body);
    authorize(parsed.success ? (parsed.data.api_key ?? presentedKey(request)) : presentedKey(request));
    if (!parsed.success) throw new InvalidRequestError('Expected JSON {"file_name", "file_data": "data:<type>;base64,…", "api_key"}.', { param: 'file_data' });
    const header = DATA_URI.exec(parsed.data.file_data.slice(0, 512));
    if (header === null) throw new InvalidRequestError('file_data must be a base64 data: URI.', { param: 'file_data' });
    const bytes = Buffer.from(parsed.data.file_data.slice(header[0].length), 'base64');
    if (bytes.length > files.maxBytes) {
      throw new InvalidRequestError(`The file is ${bytes.length} bytes; the file host keeps files of at most ${files.maxBytes} bytes (file_host_max_mb).`, { code: 'attachment_too_large' });
    }
    const info = await files.put({ name: parsed.data.file_name, contentType: (header[1] ?? 'application/octet-stream').toLowerCase(), bytes });
    return { success: true, filename: info.id };
  });
}

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1] !== undefined) return match[1].trim();
  }
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}
