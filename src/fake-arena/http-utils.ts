import type { OutgoingHttpHeaders } from 'node:http';
import type { FakeRequest, FakeResponse } from './http-exchange.js';
import { requestHost, writeHead } from './http-exchange.js';

/** A request body read up to a limit. */
export interface ReadBody {
  bytes: Buffer;
  /** The body was longer than the limit; `bytes` holds only the first part. */
  tooLarge: boolean;
}

/** Reads the body, stopping (and draining the rest) past `limitBytes`. */
export async function readBody(request: FakeRequest, limitBytes: number): Promise<ReadBody> {
  const parts: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) tooLarge = true;
    else parts.push(buffer);
  }
  return { bytes: Buffer.concat(parts), tooLarge };
}

/** Parses a `Cookie` header into name → value (first occurrence wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

/** A `Set-Cookie` value; never HttpOnly (the site's agent reads these cookies in the page). */
export function cookie(name: string, value: string, maxAgeSeconds = 400 * 24 * 3600): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; SameSite=Lax`;
}

/**
 * `<scheme>://<host the client asked for>` — links in pages and signed URLs point back where the
 * client came from. The scheme is the fallback's (the fake's own URL: `https:` when it serves TLS).
 */
export function requestOrigin(request: FakeRequest, fallback: string): string {
  const host = requestHost(request);
  return host === undefined ? fallback : `${new URL(fallback).protocol}//${host}`;
}

export function sendJson(response: FakeResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(response, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

export function sendHtml(response: FakeResponse, status: number, html: string, headers: OutgoingHttpHeaders = {}): void {
  send(response, status, html, { 'content-type': 'text/html; charset=utf-8', ...headers });
}

export function sendText(response: FakeResponse, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  send(response, status, text, { 'content-type': 'text/plain; charset=utf-8', ...headers });
}

export function send(response: FakeResponse, status: number, body: string | Buffer, headers: OutgoingHttpHeaders): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  writeHead(response, status, { ...headers, 'content-length': bytes.length });
  response.end(bytes);
}

/** Whether the peer is on this machine (the admin API refuses everyone else). */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Serialises a value for an inline `<script>` (no `</script>` breakout). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
