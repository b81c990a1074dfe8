import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { isUpgradeRequest } from './websocket-requests.js';

const withHeaders = (headers: Record<string, string>): FastifyRequest => ({ headers }) as unknown as FastifyRequest;

describe('isUpgradeRequest', () => {
  it('needs an Upgrade header and the upgrade option among the Connection options', () => {
    expect(isUpgradeRequest(withHeaders({ upgrade: 'websocket', connection: 'Upgrade' }))).toBe(true);
    expect(isUpgradeRequest(withHeaders({ upgrade: 'h2c', connection: 'keep-alive, UPGRADE , HTTP2-Settings' }))).toBe(true);
    expect(isUpgradeRequest(withHeaders({ upgrade: 'websocket' }))).toBe(false);
    expect(isUpgradeRequest(withHeaders({ upgrade: 'websocket', connection: 'keep-alive' }))).toBe(false);
    expect(isUpgradeRequest(withHeaders({ upgrade: 'websocket', connection: 'upgraded' }))).toBe(false);
    expect(isUpgradeRequest(withHeaders({ connection: 'upgrade' }))).toBe(false);
  });
});
