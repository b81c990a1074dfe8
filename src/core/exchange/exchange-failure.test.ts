import { describe, expect, it } from 'vitest';
import type { ArenaError, ArenaErrorKind } from '../../arena/types.js';
import type { JobFailureReason } from '../../shared/worker-protocol.js';
import { outcomeOf, toBridgeError } from './exchange-failure.js';

const arena = (error: ArenaError) => toBridgeError({ kind: 'arena', error }, 60_000);
const job = (reason: JobFailureReason | 'worker-lost', message: string) => toBridgeError({ kind: 'job', reason, message }, 60_000);

describe('toBridgeError of an upstream failure', () => {
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
    const error = arena({ kind, message: 'upstream text' });
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('carries Retry-After on rate limits', () => {
    expect(arena({ kind: 'rate-limited', message: '', retryAfterSeconds: 42 }).headers).toEqual({ 'Retry-After': '42' });
    expect(arena({ kind: 'rate-limited', message: '' }).headers).toEqual({});
  });

  it('says what to do', () => {
    expect(arena({ kind: 'login-gate', message: '' }).message).toMatch(/lmarena-bridge login|userscript/);
    expect(arena({ kind: 'challenge', message: '' }).message).toMatch(/Cloudflare check; the worker is reloading it/);
    expect(arena({ kind: 'bad-request', message: 'ids already used', status: 400 }).message).toContain('ids already used');
  });
});

describe('toBridgeError of a job failure and of silence', () => {
  it('maps worker loss, abort and in-page failures', () => {
    expect(job('worker-lost', 'socket closed').code).toBe('worker_lost');
    expect(job('aborted', 'x').code).toBe('client_closed_request');
    expect(job('challenge', 'x').code).toBe('upstream_challenge');
    expect(job('recaptcha-unavailable', 'x').code).toBe('recaptcha_failed');
    expect(job('network', 'x').code).toBe('upstream_error');
    expect(job('internal', 'x').code).toBe('internal_error');
  });

  it('names the idle timeout in seconds and the setting', () => {
    const error = toBridgeError({ kind: 'idle-timeout' }, 90_000);
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toContain('90 seconds (stream_response_timeout_seconds)');
  });
});

describe('outcomeOf', () => {
  it('tells the pool what a failure says about the worker', () => {
    expect(outcomeOf({ kind: 'arena', error: { kind: 'rate-limited', message: '', retryAfterSeconds: 1200 } })).toEqual({ kind: 'rate-limited', retryAfterSeconds: 1200 });
    expect(outcomeOf({ kind: 'job', reason: 'recaptcha-failed', message: '' })).toEqual({ kind: 'recaptcha-rejected', fromPage: true });
    expect(outcomeOf({ kind: 'job', reason: 'worker-lost', message: '' })).toEqual({ kind: 'worker-lost' });
    expect(outcomeOf({ kind: 'arena', error: { kind: 'moderation', message: '' } })).toBeUndefined();
    expect(outcomeOf({ kind: 'idle-timeout' })).toBeUndefined();
  });
});
