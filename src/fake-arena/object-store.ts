import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A stored upload. */
export interface StoredObject {
  bytes: Buffer;
  contentType: string;
}

/** Why a presigned URL was refused. */
export type SignatureProblem = 'missing' | 'expired' | 'bad-signature';

/** Formats epoch ms as the S3 `X-Amz-Date` (`20260101T000000Z`). */
export function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
}

/** The fake R2 bucket behind the upload flow (§8.2): presigned PUT and GET URLs with expiry. */
export class ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  readonly #secret = randomBytes(32);
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** A presigned URL for `PUT /upload/<key>` or `GET /files/<key>`. */
  presign(origin: string, method: 'PUT' | 'GET', key: string, expiresSeconds: number): string {
    const date = amzDate(this.#now());
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `FAKEARENAKEY/${date.slice(0, 8)}/auto/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': String(expiresSeconds),
      'X-Amz-SignedHeaders': 'host',
    });
    query.set('X-Amz-Signature', this.#sign(method, key, date, String(expiresSeconds)));
    const base = method === 'PUT' ? 'upload' : 'files';
    return `${origin}/${base}/${encodeURIComponent(key)}?${query.toString()}`;
  }

  /** Checks the presigned query of a request; undefined when valid. */
  check(method: 'PUT' | 'GET', key: string, query: URLSearchParams): SignatureProblem | undefined {
    const date = query.get('X-Amz-Date');
    const expires = query.get('X-Amz-Expires');
    const signature = query.get('X-Amz-Signature');
    if (date === null || expires === null || signature === null) return 'missing';
    const expected = Buffer.from(this.#sign(method, key, date, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad-signature';
    const signedAt = parseAmzDate(date);
    if (signedAt === undefined || this.#now() > signedAt + Number(expires) * 1000) return 'expired';
    return undefined;
  }

  #sign(method: string, key: string, date: string, expires: string): string {
    return createHmac('sha256', this.#secret).update(`${method}\n${key}\n${date}\n${expires}`).digest('hex');
  }

  clear(): void {
    this.objects.clear();
  }
}

/** The S3-style XML error body. */
export function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}
