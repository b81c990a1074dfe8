import { isUtf8 } from 'node:buffer';
import { checkBase64 } from './check-base64.js';
import { readDataUriHeader } from './decode-data-uri.js';
import { matchesContentType, SNIFF_BYTES, sniffContentType } from './sniff-content-type.js';

/** Types whose payload is text: it must be valid UTF-8 unless another charset is declared. */
const TEXT_TYPE = /^(text\/.+|application\/(json|xml|javascript)|.+\/.+\+(json|xml))$/;
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

function needsUtf8(contentType: string, charset: string | undefined): boolean {
  if (!TEXT_TYPE.test(contentType)) return false;
  return charset === undefined || UTF8_CHARSETS.has(charset.replace(/^"|"$/g, '').toLowerCase());
}

/**
 * What is wrong with the payload of a `data:` URI attachment, as a phrase for an error message;
 * undefined when it is sound. Refused: a header that is not `data:<type>[;…][;base64],`, base64
 * that {@link checkBase64} refuses, percent-encoding that does not decode to UTF-8, an empty
 * payload, bytes that do not start the way the declared png/jpeg/gif/webp/pdf type does (other
 * types are not sniffed), and text types (`text/*`, JSON, XML, SVG) that are not valid UTF-8 when
 * no other charset is declared.
 * @example
 * findDataUriProblem('data:image/png;base64,') // 'the data is empty (0 bytes); send the file's content'
 */
export function findDataUriProblem(url: string): string | undefined {
  const header = readDataUriHeader(url);
  if (header === undefined) return 'malformed data: URI; expected data:<type>;base64,<data>';
  const payload = url.slice(header.payloadOffset);
  let head: Buffer;
  let whole: () => Buffer;
  if (header.base64) {
    const checked = checkBase64(payload);
    if (!checked.valid) return `the base64 data ${checked.problem}`;
    if (checked.byteLength === 0) return "the data is empty (0 bytes); send the file's content";
    // Only the first characters are decoded for sniffing; the whole only for text types.
    head = Buffer.from(checked.text.slice(0, Math.ceil(SNIFF_BYTES / 3) * 4), 'base64');
    whole = () => Buffer.from(checked.text, 'base64');
  } else {
    let text: string;
    try {
      text = decodeURIComponent(payload);
    } catch {
      return 'the percent-encoded data does not decode to UTF-8 text; send binary files base64-encoded (data:<type>;base64,…)';
    }
    if (text === '') return "the data is empty (0 bytes); send the file's content";
    const bytes = Buffer.from(text, 'utf8');
    head = bytes.subarray(0, SNIFF_BYTES);
    whole = () => bytes;
  }
  const declared = header.contentType;
  if (matchesContentType(declared, head) === false) {
    const actual = sniffContentType(head);
    const hint = actual === undefined ? "send the file's real type" : `they look like ${actual}: declare that type`;
    return `the data is declared as ${declared}, but its bytes are not ${declared} (${hint})`;
  }
  if (needsUtf8(declared, header.parameters.charset) && !isUtf8(whole())) {
    return `the data is declared as ${declared}, but it is not valid UTF-8 text; declare its charset (e.g. data:${declared};charset=iso-8859-1;base64,…) or send it as application/octet-stream`;
  }
  return undefined;
}
