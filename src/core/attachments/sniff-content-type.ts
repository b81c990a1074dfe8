/** Bytes a file of `type` has at `offset`; a signature is a list of these that must all match. */
interface SignaturePart {
  offset: number;
  bytes: readonly number[];
}

const ascii = (text: string, offset = 0): SignaturePart => ({ offset, bytes: [...text].map((character) => character.charCodeAt(0)) });

const SIGNATURES: readonly { type: string; parts: readonly SignaturePart[] }[] = [
  { type: 'image/png', parts: [{ offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }] },
  { type: 'image/jpeg', parts: [{ offset: 0, bytes: [0xff, 0xd8, 0xff] }] },
  { type: 'image/gif', parts: [ascii('GIF8')] },
  { type: 'image/webp', parts: [ascii('RIFF'), ascii('WEBP', 8)] },
  { type: 'application/pdf', parts: [ascii('%PDF-')] },
];

/** Names clients use for a type of the table. */
const ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf' };

/** How many leading bytes {@link sniffContentType} and {@link matchesContentType} look at. */
export const SNIFF_BYTES = 12;

const matches = (parts: readonly SignaturePart[], bytes: Uint8Array): boolean =>
  parts.every((part) => part.bytes.every((value, index) => bytes[part.offset + index] === value));

/**
 * The content type of common files from their first bytes (png, jpeg, gif, webp, pdf), for
 * attachments whose URL and server gave none. Undefined when not recognised.
 */
export function sniffContentType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((signature) => matches(signature.parts, bytes))?.type;
}

/**
 * Whether `bytes` begin the way files of the `declared` type do; undefined when the type is not
 * one the table knows (the check is then left to the arena). `image/jpg` counts as `image/jpeg`.
 * @example matchesContentType('image/png', Buffer.from('GIF89a')) // false
 */
export function matchesContentType(declared: string, bytes: Uint8Array): boolean | undefined {
  const type = ALIASES[declared] ?? declared;
  const signature = SIGNATURES.find((candidate) => candidate.type === type);
  return signature === undefined ? undefined : matches(signature.parts, bytes);
}
