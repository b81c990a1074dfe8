/**
 * The bridge's limits on slow and numerous connections, end to end: short request deadlines must
 * not cut a long streamed answer or the worker's WebSocket, and paired workers, which come from
 * 127.0.0.1 like the clients, do not use up the per-address connection cap.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';

let harness: TestBridge | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await harness?.close();
  harness = undefined;
});

/** Opens a connection and resolves with the first bytes the bridge sends unasked, or '' if none in 300 ms. */
function openAndListen(url: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    setTimeout(() => resolve(''), 300);
  });
}

describe('request deadlines through the bridge', () => {
  it('streams an answer that lasts longer than both deadlines to its end, and keeps the worker connected', async () => {
    harness = await startTestBridge({
      fake: { pacing: { chunkDelayMs: 150 } },
      bridge: { server: { headersTimeoutSeconds: 0.5, bodyTimeoutSeconds: 0.8 } },
    });
    await connectNodeAgent(harness);
    const started = Date.now();
    const stream = await harness.client().chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Slowly please' }] });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    expect(content).toBe(echoReply('Slowly please'));
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect((await harness.health()).workers.count).toBe(1);
  });
});

describe('connections per address', () => {
  it('does not count paired workers against the cap, and still refuses clients over it', async () => {
    harness = await startTestBridge({ bridge: { server: { maxConnectionsPerAddress: 2 } } });
    const running = harness;
    for (const email of ['one@example.com', 'two@example.com', 'three@example.com']) await connectNodeAgent(running, { email });
    expect((await running.health()).workers.count).toBe(3);

    const answers = await Promise.all([0, 1, 2].map(() => openAndListen(running.url)));
    const refusals = answers.filter((answer) => answer.startsWith('HTTP/1.1 429 Too Many Requests'));
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals[0]).toContain('"code":"too_many_connections"');
  });
});
