import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyHttpError } from './classify-http-error.js';
import type { ArenaErrorKind } from './types.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const challengePage = readFileSync(new URL('./__fixtures__/cloudflare-challenge.html', import.meta.url), 'utf8');
const kindOf = (status: number, body: string, headers: Record<string, string> = JSON_HEADERS): ArenaErrorKind =>
  classifyHttpError({ status, headers, body }).kind;

describe('classifyHttpError', () => {
  it('keeps the account flag\'s retry-after on a 403 and on a 429 (§15.4)', () => {
    const flagged = classifyHttpError({ status: 403, headers: { ...JSON_HEADERS, 'Retry-After': '1187' }, body: '{"error":"recaptcha validation failed"}' });
    expect(flagged).toMatchObject({ kind: 'recaptcha-rejected', retryAfterSeconds: 1187 });
    const limited = classifyHttpError({ status: 429, headers: { 'retry-after': '1200' }, body: '{"error":"prompt failed"}' });
    expect(limited).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 1200 });
    expect(classifyHttpError({ status: 403, headers: { 'retry-after': 'soon' }, body: '{"error":"recaptcha validation failed"}' })).not.toHaveProperty('retryAfterSeconds');
  });

  it.each([
    [400, '{"error":"Duplicate message id"}', 'duplicate-ids'],
    [400, '{"error":"Evaluation session already exists"}', 'duplicate-ids'],
    [400, '{"error":"Invalid message ids"}', 'duplicate-ids'],
    [400, '{"error":"User already exists"}', 'duplicate-ids'],
    [400, '{"error":"Invalid modality"}', 'bad-request'],
    [400, '{"error":"recaptcha validation failed"}', 'recaptcha-rejected'],
    [400, '{"error":"\'direct\' mode is not allowed when starting a new conversation"}', 'mode-not-allowed'],
    [401, '{"error":"User 5b0f7c2e-1d3a-4e5f-8a9b-0c1d2e3f4a5b does not have access to evaluation session 019c0b5e-2f10-7a41-9c3e-5b1f0e8d2a77"}', 'session-access-denied'],
    [401, '{"error":"This model requires sign in","code":"LOGIN_GATE"}', 'login-gate'],
    [401, '{"message":"Direct chat requires a signed-in account","code":"LOGIN_GATE"}', 'login-gate'],
    [401, '{"error":"Session expired"}', 'auth-expired'],
    [401, '{"error":"Unauthorized"}', 'unauthenticated'],
    [401, '{"detail":"prompt failed"}', 'recaptcha-rejected'],
    [403, '{"error":"recaptcha validation failed"}', 'recaptcha-rejected'],
    [403, '{"error":"Route not allowed"}', 'route-not-allowed'],
    [403, '{"error":{"message":"Forbidden"}}', 'unauthenticated'],
    [404, '{"error":"Evaluation session not found"}', 'not-found'],
    [404, '', 'not-found'],
    [405, '', 'method-not-allowed'],
    [413, 'Request Entity Too Large', 'too-large'],
    [400, '{"error":"Attachment too large"}', 'too-large'],
    [422, '{"error":"Request rejected: Content violates our terms of use for evaluation session id: 019c0b5e-2f10-7a41-9c3e-5b1f0e8d2a77"}', 'moderation'],
    [500, '{"error":"Internal Server Error"}', 'server-error'],
    [500, '{"error":"Auth cookie missing"}', 'unauthenticated'],
    [500, '{"error":"No auth session found"}', 'unauthenticated'],
    [502, 'Bad Gateway', 'server-error'],
    [503, '{"error":"Service Unavailable"}', 'server-error'],
    [504, '', 'server-error'],
    [418, '{}', 'bad-request'],
  ] as const)('maps %i %s to %s', (status, body, kind) => {
    expect(kindOf(status, body)).toBe(kind);
  });

  it('keeps status, message and code', () => {
    expect(classifyHttpError({ status: 401, headers: JSON_HEADERS, body: '{"error":"This model requires sign in","code":"LOGIN_GATE"}' })).toEqual({
      kind: 'login-gate', message: 'This model requires sign in', status: 401, code: 'LOGIN_GATE',
    });
    expect(classifyHttpError({ status: 404, headers: {}, body: '' }).message).toBe('HTTP 404 with an empty body');
  });

  it('reads all four body shapes', () => {
    for (const body of ['{"error":"boom"}', '{"error":{"message":"boom"}}', '{"message":"boom"}', '{"detail":"boom"}']) {
      expect(classifyHttpError({ status: 500, headers: JSON_HEADERS, body }).message).toBe('boom');
    }
    expect(classifyHttpError({ status: 500, headers: JSON_HEADERS, body: '{"error":{"message":"x","code":"E1"}}' }).code).toBe('E1');
    expect(classifyHttpError({ status: 500, headers: {}, body: 'plain text failure' }).message).toBe('plain text failure');
  });

  it('maps 429 to rate-limited with Retry-After seconds, capped', () => {
    expect(classifyHttpError({ status: 429, headers: { 'Retry-After': '42' }, body: '{"error":"Too many requests"}' })).toEqual({
      kind: 'rate-limited', message: 'Too many requests', status: 429, retryAfterSeconds: 42,
    });
    expect(classifyHttpError({ status: 429, headers: { 'retry-after': '86400' }, body: '' }).retryAfterSeconds).toBe(3600);
    expect(classifyHttpError({ status: 429, headers: {}, body: '' })).not.toHaveProperty('retryAfterSeconds');
    expect(classifyHttpError({ status: 429, headers: { 'retry-after': 'soon' }, body: '' })).not.toHaveProperty('retryAfterSeconds');
  });

  it('reads an HTTP-date Retry-After against the given clock', () => {
    const now = Date.UTC(2026, 2, 1, 12, 0, 0);
    const at = new Date(now + 90_500).toUTCString();
    expect(classifyHttpError({ status: 429, headers: { 'Retry-After': at }, body: '', now }).retryAfterSeconds).toBe(90);
    const past = new Date(now - 10_000).toUTCString();
    expect(classifyHttpError({ status: 429, headers: { 'Retry-After': past }, body: '', now }).retryAfterSeconds).toBe(0);
  });

  it('maps redirects to moved with the location', () => {
    for (const status of [301, 302, 307, 308]) {
      const error = classifyHttpError({ status, headers: { Location: 'https://arena.ai/nextjs-api/stream/create-evaluation' }, body: '' });
      expect(error.kind).toBe('moved');
      expect(error.location).toBe('https://arena.ai/nextjs-api/stream/create-evaluation');
    }
  });

  it('maps Cloudflare pages and HTML where a stream was expected to challenge', () => {
    expect(kindOf(403, challengePage, { 'content-type': 'text/html; charset=UTF-8' })).toBe('challenge');
    expect(kindOf(503, challengePage, {})).toBe('challenge');
    expect(kindOf(200, '<html><body>hello</body></html>', { 'content-type': 'text/html' })).toBe('challenge');
    expect(kindOf(403, '<html><body>Access denied</body></html>', { 'content-type': 'text/html' })).toBe('challenge');
    expect(kindOf(404, '<!DOCTYPE html><html><title>404: This page could not be found.</title></html>', { 'content-type': 'text/html' })).toBe('not-found');
    expect(kindOf(500, '<!DOCTYPE html><html><title>500</title></html>', { 'content-type': 'text/html' })).toBe('server-error');
  });

  it('maps a 2xx that is neither a stream nor HTML to malformed', () => {
    expect(kindOf(200, '{"ok":true}')).toBe('malformed');
  });

  it('shortens long bodies', () => {
    const error = classifyHttpError({ status: 500, headers: {}, body: 'x'.repeat(5000) });
    expect(error.message.length).toBeLessThanOrEqual(501);
  });
});

describe('classifyHttpError LOGIN_GATE', () => {
  it('honours the LOGIN_GATE code whatever the 4xx status', () => {
    expect(kindOf(403, '{"message":"sign in","code":"LOGIN_GATE"}')).toBe('login-gate');
  });
});
