/** Options for {@link uuidv7}; both exist so tests can pin the output. */
export interface UuidV7Options {
  /**
   * Unix time in milliseconds for the 48-bit timestamp field.
   * @default Date.now()
   */
  now?: number;
  /**
   * Source of random bytes; called once with the number of bytes needed (10).
   * @default the random bits of `crypto.randomUUID()`
   */
  random?: (length: number) => Uint8Array;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAX_TIMESTAMP = 2 ** 48 - 1;
const HEX = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));

/**
 * A fresh RFC 9562 UUID version 7, lowercase: 48-bit big-endian Unix milliseconds, version 7,
 * 12 random bits, variant `10`, 62 random bits. The site has used these for sessions and
 * messages since ~2025-10 (§2.5); ids must be fresh for every attempt.
 *
 * @example uuidv7() // '019a41a7-b8bc-743a-9d1e-6f0c2b7a5e11'
 */
export function uuidv7(options: UuidV7Options = {}): string {
  const now = Math.floor(options.now ?? Date.now());
  if (!Number.isFinite(now) || now < 0 || now > MAX_TIMESTAMP) {
    throw new RangeError(`uuidv7: timestamp ${String(options.now)} is outside the 48-bit millisecond range`);
  }
  if (options.random === undefined) return fromRandomUuid(now);
  const random = options.random(10);
  if (random.length < 10) throw new RangeError('uuidv7: the random source returned fewer than 10 bytes');

  const bytes = new Uint8Array(16);
  // 48 bits do not fit JavaScript's 32-bit bitwise operators: split into high 16 and low 32 bits.
  const high = Math.floor(now / 2 ** 32);
  const low = now % 2 ** 32;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);

  let text = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += HEX[bytes[index] ?? 0];
  }
  return text;
}

/**
 * A v4 UUID from `crypto.randomUUID()` (served from Node's entropy cache, unlike a
 * `getRandomValues` call per id) has random bits exactly where v7 wants them once its first 48
 * bits become the timestamp and its version nibble becomes 7; the variant bits already match.
 */
function fromRandomUuid(now: number): string {
  const v4 = globalThis.crypto.randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${v4.slice(15)}`;
}

/** True for any 8-4-4-4-12 hex UUID (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** True for a UUID with version nibble 7 and the RFC 9562 variant. */
export function isUuidV7(value: string): boolean {
  return UUID_V7_PATTERN.test(value);
}
