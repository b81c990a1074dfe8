import { STATUS_CODES } from 'node:http';
import { renderError } from './render-error.js';

/**
 * An error as the bytes of a whole HTTP/1.1 response, OpenAI-shaped through {@link renderError},
 * with `connection: close`: for a socket that no response object owns (a connection refused
 * before Node's HTTP server sees it).
 * @example socket.end(rawErrorResponse(new RateLimitError('…', { code: 'too_many_connections' })))
 */
export function rawErrorResponse(error: unknown): string {
  const rendered = renderError(error);
  const body = JSON.stringify(rendered.body);
  const head = [
    `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? ''}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(rendered.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
