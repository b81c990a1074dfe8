const SIGNATURES: readonly { type: string; bytes: readonly number[]; offset?: number }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

/**
 * The content type of common files from their first bytes (png, jpeg, gif, webp, pdf), for
 * attachments whose URL and server gave none. Undefined when not recognised.
 */
export function sniffContentType(bytes: Uint8Array): string | undefined {
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((value, index) => bytes[index] === value)) return signature.type;
  }
  const riff = String.fromCharCode(...bytes.subarray(0, 4));
  const webp = String.fromCharCode(...bytes.subarray(8, 12));
  if (riff === 'RIFF' && webp === 'WEBP') return 'image/webp';
  return undefined;
}
