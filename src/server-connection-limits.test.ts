import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config/index.js';
import { createSilentLogger } from './observability/logger.js';
import { connectionLimitsFrom } from './server-connection-limits.js';

function configWith(server: Partial<ReturnType<typeof defaultConfig>['server']>): ReturnType<typeof defaultConfig> {
  const base = defaultConfig({ dataDir: '/tmp/unused' });
  return { ...base, server: { ...base.server, ...server } };
}

describe('connectionLimitsFrom', () => {
  it('leaves the whole-request deadline to be derived when body_timeout_seconds is 0, and caps connections by default', () => {
    const limits = connectionLimitsFrom(configWith({}), createSilentLogger());
    expect(limits.requestDeadlines).toEqual({ headersMs: 20_000 });
    expect(limits.connectionCap).toBeDefined();
  });

  it('takes configured seconds as milliseconds, and no cap at 0', () => {
    const limits = connectionLimitsFrom(configWith({ headersTimeoutSeconds: 5, bodyTimeoutSeconds: 90, maxConnectionsPerAddress: 0 }), createSilentLogger());
    expect(limits.requestDeadlines).toEqual({ headersMs: 5000, requestMs: 90_000 });
    expect(limits.connectionCap).toBeUndefined();
  });
});
