import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkNode, checkPort } from './doctor-checks.js';

describe('checkNode', () => {
  it('accepts 22.13 and newer and rejects older versions with a fix', () => {
    expect(checkNode('22.13.0').status).toBe('ok');
    expect(checkNode('24.1.0').status).toBe('ok');
    const old = checkNode('22.12.9');
    expect(old.status).toBe('fail');
    expect(old.fix).toContain('Node.js 24');
    expect(checkNode('20.18.0').status).toBe('fail');
  });
});

describe('checkPort', () => {
  it('reports a free port as ok and a taken one as failed with a fix', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const taken = await checkPort('127.0.0.1', address.port);
      expect(taken.status).toBe('fail');
      expect(taken.label).toContain('EADDRINUSE');
      expect(taken.fix).toContain('--port or BRIDGE_PORT');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect((await checkPort('127.0.0.1', address.port)).status).toBe('ok');
    expect((await checkPort('127.0.0.1', 0)).status).toBe('ok');
  });
});
