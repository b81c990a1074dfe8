const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  avif: 'image/avif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
};

/** The content type when nothing better is known. */
export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*)(;base64)?,/i;

/** The parts of a `data:` URI header, or undefined when `url` is not a well-formed data URI. */
export function parseDataUri(url: string): { contentType: string; base64: boolean; payloadOffset: number } | undefined {
  const match = DATA_URI.exec(url.slice(0, 512));
  if (match === null) return undefined;
  return {
    contentType: (match[1] ?? 'text/plain').toLowerCase(),
    base64: match[3] !== undefined,
    payloadOffset: match[0].length,
  };
}

/** Guesses a content type from a file name or URL path extension. */
export function contentTypeOfName(name: string): string | undefined {
  const path = name.split(/[?#]/, 1)[0] ?? '';
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/**
 * The content type of an attachment URL: the declared type of a `data:` URI, else a guess from the
 * URL's extension, else `application/octet-stream` (core may sniff the bytes later).
 */
export function contentTypeOfUrl(url: string): string {
  if (url.startsWith('data:')) return parseDataUri(url)?.contentType ?? UNKNOWN_CONTENT_TYPE;
  try {
    return contentTypeOfName(new URL(url).pathname) ?? UNKNOWN_CONTENT_TYPE;
  } catch {
    return contentTypeOfName(url) ?? UNKNOWN_CONTENT_TYPE;
  }
}
