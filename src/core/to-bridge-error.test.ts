import { describe, expect, it } from 'vitest';
import type { ArenaErrorKind } from '../arena/types.js';
import { jobFailureToBridgeError, toBridgeError } from './to-bridge-error.js';

describe('toBridgeError', () => {
  const cases: Array<[ArenaErrorKind, number, string]> = [
    ['rate-limited', 429, 'rate_limited'],
    ['recaptcha-rejected', 403, 'recaptcha_failed'],
    ['challenge', 502, 'upstream_challenge'],
    ['login-gate', 401, 'login_required'],
    ['session-access-denied', 401, 'session_access_denied'],
    ['auth-expired', 401, 'login_required'],
    ['unauthenticated', 401, 'login_required'],
    ['moderation', 422, 'content_filter'],
    ['too-large', 413, 'attachment_too_large'],
    ['model-unavailable', 502, 'model_unavailable'],
    ['duplicate-ids', 502, 'upstream_error'],
    ['bad-request', 502, 'upstream_error'],
    ['provider-error', 502, 'upstream_error'],
    ['server-error', 502, 'upstream_error'],
    ['not-found', 502, 'upstream_error'],
    ['route-not-allowed', 502, 'upstream_error'],
    ['moved', 502, 'upstream_error'],
    ['method-not-allowed', 502, 'upstream_error'],
    ['truncated', 502, 'upstream_stream_error'],
    ['empty-stream', 502, 'upstream_stream_error'],
    ['malformed', 502, 'upstream_stream_error'],
  ];

  it.each(cases)('%s → %i %s', (kind, status, code) => {
    const error = toBridgeError({ kind, message: 'upstream text' });
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('carries Retry-After on rate limits', () => {
    expect(toBridgeError({ kind: 'rate-limited', message: '', retryAfterSeconds: 42 }).headers).toEqual({ 'Retry-After': '42' });
    expect(toBridgeError({ kind: 'rate-limited', message: '' }).headers).toEqual({});
  });

  it('says what to do', () => {
    expect(toBridgeError({ kind: 'login-gate', message: '' }).message).toMatch(/lmarena-bridge login|userscript/);
    expect(toBridgeError({ kind: 'challenge', message: '' }).message).toMatch(/Cloudflare check; the worker is reloading it/);
    expect(toBridgeError({ kind: 'bad-request', message: 'ids already used', status: 400 }).message).toContain('ids already used');
  });
});

describe('jobFailureToBridgeError', () => {
  it('maps worker loss, abort and in-page failures', () => {
    expect(jobFailureToBridgeError('worker-lost', 'socket closed').code).toBe('worker_lost');
    expect(jobFailureToBridgeError('aborted', 'x').code).toBe('client_closed_request');
    expect(jobFailureToBridgeError('challenge', 'x').code).toBe('upstream_challenge');
    expect(jobFailureToBridgeError('recaptcha-unavailable', 'x').code).toBe('recaptcha_failed');
    expect(jobFailureToBridgeError('network', 'x').code).toBe('upstream_error');
    expect(jobFailureToBridgeError('internal', 'x').code).toBe('internal_error');
  });
});
