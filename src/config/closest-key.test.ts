import { describe, expect, it } from 'vitest';
import { closestKey } from './closest-key.js';

const KEYS = ['port', 'host', 'api_key', 'tavern_mode_enabled', 'stream_response_timeout_seconds'];

describe('closestKey', () => {
  it('suggests the nearest key for a typo', () => {
    expect(closestKey('prot', KEYS)).toBe('port');
    expect(closestKey('tavern_mode_enable', KEYS)).toBe('tavern_mode_enabled');
  });

  it('matches camelCase and kebab-case spellings', () => {
    expect(closestKey('apiKey', KEYS)).toBe('api_key');
    expect(closestKey('stream-response-timeout-seconds', KEYS)).toBe('stream_response_timeout_seconds');
  });

  it('suggests nothing when no key is close', () => {
    expect(closestKey('completely_unrelated', KEYS)).toBeUndefined();
  });
});
