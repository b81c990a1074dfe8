import { describe, expect, it } from 'vitest';
import { describeArenaError, isRetryableBeforeOutput } from './arena-error-policy.js';
import { classifyProviderMessage } from './classify-provider-message.js';
import type { ArenaErrorKind } from './types.js';

const ALL_KINDS: ArenaErrorKind[] = [
  'rate-limited', 'recaptcha-rejected', 'challenge', 'login-gate', 'session-access-denied', 'auth-expired',
  'unauthenticated', 'moderation', 'too-large', 'duplicate-ids', 'bad-request', 'not-found', 'route-not-allowed',
  'moved', 'method-not-allowed', 'model-unavailable', 'provider-error', 'server-error', 'truncated', 'empty-stream', 'malformed',
];

describe('isRetryableBeforeOutput', () => {
  it('follows the documented table', () => {
    const retryable = ALL_KINDS.filter((kind) => isRetryableBeforeOutput(kind));
    expect(retryable).toEqual(['recaptcha-rejected', 'challenge', 'duplicate-ids', 'provider-error', 'server-error', 'truncated', 'empty-stream']);
  });

  it('retries provider errors only when they are transient, given the whole error', () => {
    expect(isRetryableBeforeOutput(classifyProviderMessage('Resource exhausted. Please try again later.'))).toBe(true);
    expect(isRetryableBeforeOutput(classifyProviderMessage('model overloaded'))).toBe(true);
    expect(isRetryableBeforeOutput(classifyProviderMessage('Error during image generation with fal: invalid size'))).toBe(false);
    expect(isRetryableBeforeOutput({ kind: 'challenge', message: '' })).toBe(true);
    expect(isRetryableBeforeOutput({ kind: 'moderation', message: '' })).toBe(false);
  });
});

describe('classifyProviderMessage', () => {
  it.each([
    ['content moderation blocked', 'moderation'],
    ['Your request violates our content policy', 'moderation'],
    ['Resource exhausted. Please try again later.', 'provider-error'],
    ['model overloaded', 'provider-error'],
    ['Model not found', 'model-unavailable'],
    ['This model is currently unavailable', 'model-unavailable'],
    ['Service temporarily unavailable, try again', 'provider-error'],
    ['Error during image generation with replicate for model endpoint x: NSFW', 'provider-error'],
  ] as const)('classifies %s as %s', (message, kind) => {
    expect(classifyProviderMessage(message)).toMatchObject({ kind, message });
  });
});

describe('describeArenaError', () => {
  it('writes one sentence for every kind with the upstream details', () => {
    for (const kind of ALL_KINDS) {
      const text = describeArenaError({ kind, message: 'upstream text', status: 400 });
      expect(text).toMatch(/^[A-Z][^\n]+\.$/);
      expect(text).toContain('upstream 400: upstream text');
    }
  });

  it('mentions Retry-After and the redirect target', () => {
    expect(describeArenaError({ kind: 'rate-limited', message: 'Too many requests', status: 429, retryAfterSeconds: 30 })).toBe(
      'LMArena rate-limited this browser identity; wait before retrying or add another worker (retry after 30 s; upstream 429: Too many requests).',
    );
    expect(describeArenaError({ kind: 'moved', message: '', status: 301, location: 'https://arena.ai/' })).toBe(
      'LMArena redirected the request; point the worker at arena.ai (location https://arena.ai/; upstream 301).',
    );
    expect(describeArenaError({ kind: 'empty-stream', message: 'line\none' })).toBe('LMArena answered with an empty stream; retry the request (upstream: line one).');
  });
});
