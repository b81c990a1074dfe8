/** The outcome of {@link checkBase64}. */
export type Base64Check =
  /** `text` is the payload without line breaks and padding, ready for `Buffer.from(text, 'base64')`. */
  | { valid: true; byteLength: number; text: string }
  /** `problem` says what is wrong, as a phrase to follow "the payload …". */
  | { valid: false; problem: string };

const NOT_BASE64 = /[^A-Za-z0-9+/\-_=\r\n]/;
const LINE_BREAKS = /[\r\n]/g;
const TRAILING_PADDING = /=+$/;
const STANDARD_ONLY = /[+/]/;
const URL_SAFE_ONLY = /[-_]/;

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  // Spaces, control characters and halves of surrogate pairs are shown by code point only.
  const printable = code > 0x20 && code !== 0x7f && (code < 0x80 || code >= 0xa0) && (code < 0xd800 || code > 0xdfff);
  return `${printable ? `'${character}' ` : ''}(U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Checks base64 text strictly (RFC 4648) without decoding it: the standard alphabet (§4) or the
 * URL-safe one (§5), never both mixed; `=` padding optional but, when present, only at the end and
 * of the right length; line breaks (CR, LF) of MIME-wrapped text are skipped; anything else,
 * spaces included, is refused. Bits left over in the last character are not checked.
 * @example
 * checkBase64('aGk=') // { valid: true, byteLength: 2, text: 'aGk' }
 * checkBase64('aGk*') // { valid: false, problem: "contains '*' (U+002A) at offset 3, which is not a base64 character" }
 */
export function checkBase64(payload: string): Base64Check {
  const junk = NOT_BASE64.exec(payload);
  if (junk !== null) {
    return { valid: false, problem: `contains ${describeCharacter(junk[0])} at offset ${junk.index}, which is not a base64 character` };
  }
  const text = payload.includes('\n') || payload.includes('\r') ? payload.replace(LINE_BREAKS, '') : payload;
  const padding = TRAILING_PADDING.exec(text)?.[0].length ?? 0;
  const body = text.slice(0, text.length - padding);
  if (body.includes('=')) return { valid: false, problem: `has '=' padding at offset ${body.indexOf('=')}, before its end` };
  if (padding > 2) return { valid: false, problem: `ends with ${padding} '=' padding characters; base64 has at most 2` };
  if (STANDARD_ONLY.test(body) && URL_SAFE_ONLY.test(body)) {
    return { valid: false, problem: "mixes the standard ('+', '/') and the URL-safe ('-', '_') base64 alphabets" };
  }
  const remainder = body.length % 4;
  if (remainder === 1) return { valid: false, problem: `is ${body.length} characters long, a length no base64 encoding has (one character too many or too few)` };
  if (padding > 0 && (body.length + padding) % 4 !== 0) {
    return { valid: false, problem: `has ${padding} '=' padding character${padding === 1 ? '' : 's'} where ${(4 - remainder) % 4} belong` };
  }
  return { valid: true, byteLength: Math.floor((body.length * 3) / 4), text: body };
}
