/** A decoded `data:` URI. */
export interface DecodedDataUri {
  contentType: string;
  bytes: Buffer;
}

const HEADER = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*)(;base64)?,/i;

/** The header of a `data:` URI: media type (lower case, `text/plain` when absent), parameters, encoding. */
export interface DataUriHeader {
  contentType: string;
  /** Media type parameters by lower-case name, e.g. `{ charset: 'utf-8' }`. */
  parameters: Record<string, string>;
  base64: boolean;
  /** Where the payload starts in the URI. */
  payloadOffset: number;
}

/** Reads the header of a `data:` URI; undefined when `url` is not a well-formed one. */
export function readDataUriHeader(url: string): DataUriHeader | undefined {
  const match = HEADER.exec(url.slice(0, 512));
  if (match === null) return undefined;
  const parameters: Record<string, string> = {};
  for (const parameter of (match[2] ?? '').split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    parameters[parameter.slice(0, equals).toLowerCase()] = parameter.slice(equals + 1);
  }
  return { contentType: (match[1] ?? 'text/plain').toLowerCase(), parameters, base64: match[3] !== undefined, payloadOffset: match[0].length };
}

/**
 * Decodes a `data:` URI (base64 or percent-encoded); undefined when `url` is not one.
 *
 * @example decodeDataUri('data:text/plain;base64,aGk=') // { contentType: 'text/plain', bytes: <68 69> }
 */
export function decodeDataUri(url: string): DecodedDataUri | undefined {
  const match = HEADER.exec(url.slice(0, 512));
  if (match === null) return undefined;
  const payload = url.slice(match[0].length);
  const contentType = (match[1] ?? 'text/plain').toLowerCase();
  if (match[3] !== undefined) return { contentType, bytes: Buffer.from(payload, 'base64') };
  try {
    return { contentType, bytes: Buffer.from(decodeURIComponent(payload), 'utf8') };
  } catch {
    return undefined;
  }
}

/**
 * The decoded size of a `data:` URI without decoding it (base64 length arithmetic), or undefined
 * when `url` is not a data URI.
 */
export function dataUriByteLength(url: string): number | undefined {
  const match = HEADER.exec(url.slice(0, 512));
  if (match === null) return undefined;
  const payload = url.length - match[0].length;
  if (match[3] === undefined) return decodeDataUri(url)?.bytes.length;
  const padding = url.endsWith('==') ? 2 : url.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((payload * 3) / 4) - padding);
}
