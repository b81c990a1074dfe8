import { describe, expect, it } from 'vitest';
import { matchRetryRequest } from './retry-request.js';

describe('matchRetryRequest', () => {
  it('matches both path prefixes, relative or absolute', () => {
    expect(matchRetryRequest('/nextjs-api/stream/retry-evaluation-session-message/019a-s/messages/019a-m')).toEqual({ sessionId: '019a-s', messageId: '019a-m' });
    expect(matchRetryRequest('https://lmarena.ai/api/stream/retry-evaluation-session-message/s/messages/m?x=1')).toEqual({ sessionId: 's', messageId: 'm' });
  });

  it('ignores other endpoints and malformed escapes', () => {
    expect(matchRetryRequest('/nextjs-api/stream/post-to-evaluation/s')).toBeUndefined();
    expect(matchRetryRequest('/nextjs-api/stream/retry-evaluation-session-message/s/messages/')).toBeUndefined();
    expect(matchRetryRequest('/api/stream/retry-evaluation-session-message/%E0/messages/m')).toBeUndefined();
  });
});
