import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_PROTOCOL_VERSION } from '../../src/shared/worker-protocol.js';
import { createAgent, type Agent } from './agent.js';
import { TITLE_PREFIXES } from './title-prefix.js';
import { startFakeBridge, type BridgeConnection, type FakeBridge } from './test-support/fake-bridge.js';
import { createNodeEnvironment, type FakePage } from './test-support/node-environment.js';
import { delay, startUpstream, type Upstream } from './test-support/upstream-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { pageToken?: string; upstream?: Upstream } = {}): Promise<{
  bridge: FakeBridge;
  connection: BridgeConnection;
  agent: Agent;
  page: FakePage;
}> {
  const bridge = await startFakeBridge();
  cleanups.push(() => bridge.close());
  const { environment, page } = createNodeEnvironment({
    bridgeUrl: bridge.url,
    ...(options.upstream ? { origin: options.upstream.origin } : {}),
    ...(options.pageToken === undefined ? {} : { pageToken: options.pageToken }),
  });
  const agent = createAgent(environment);
  cleanups.push(() => agent.stop());
  agent.start();
  const connection = await bridge.nextConnection();
  return { bridge, connection, agent, page };
}

describe('createAgent connection', () => {
  it('says hello with its settings, page state and capabilities, then heartbeats after the ack', async () => {
    const { connection, agent, page } = await setup({ pageToken: 'page-token-1' });
    const hello = await connection.take('worker-hello');
    expect(hello).toMatchObject({
      protocolVersion: WORKER_PROTOCOL_VERSION,
      agentVersion: '0.0.0-test',
      host: 'browser',
      secret: 'test-secret',
      pageToken: 'page-token-1',
      page: page.state,
    });
    expect(hello.capabilities).toEqual(expect.arrayContaining(['fetch', 'recaptcha-v3', 'recaptcha-v2', 'reload', 'capture', 'page-state']));
    expect(agent.connected).toBe(false);

    connection.ack(40);
    const first = await connection.take('heartbeat');
    const second = await connection.take('heartbeat');
    expect(first.activeJobs).toBe(0);
    expect(second.at).toBeGreaterThanOrEqual(first.at);
    expect(agent.workerId).toBe('worker-1');
    expect(connection.invalid).toEqual([]);
  });

  it('sends page-state only when the page changes', async () => {
    const { connection, page } = await setup();
    await connection.take('worker-hello');
    connection.ack();
    await delay(200);
    expect(connection.messages.filter((message) => message.type === 'page-state')).toHaveLength(0);

    page.state = { ...page.state, challenge: true, title: 'Just a moment...' };
    page.pageChanged();
    const update = await connection.take('page-state', undefined, 100);
    expect(update.page).toMatchObject({ challenge: true, title: 'Just a moment...' });
    await delay(200);
    expect(connection.messages.filter((message) => message.type === 'page-state')).toHaveLength(1);
  });

  it('shows one title prefix at a time: disconnected, connected, capture armed', async () => {
    const { connection, page } = await setup();
    expect(page.titlePrefixes).toEqual([TITLE_PREFIXES.disconnected]);
    await connection.take('worker-hello');
    connection.ack();
    await connection.take('heartbeat', undefined, 100).catch(() => undefined);
    await delay(50);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.connected);

    connection.send({ type: 'capture-arm', armed: true });
    await delay(50);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.capture);

    page.pageRequest('https://arena.ai/nextjs-api/stream/create-evaluation');
    page.pageRequest('https://arena.ai/nextjs-api/stream/retry-evaluation-session-message/s-1/messages/m-2');
    const captured = await connection.take('ids-captured');
    expect(captured).toMatchObject({ sessionId: 's-1', messageId: 'm-2' });
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.connected);

    // Disarmed after one capture: a second Retry is not reported.
    page.pageRequest('https://arena.ai/api/stream/retry-evaluation-session-message/s-3/messages/m-4');
    await delay(100);
    expect(connection.messages.filter((message) => message.type === 'ids-captured')).toHaveLength(1);
    expect(page.titlePrefixes.every((prefix, index) => index === 0 || prefix !== page.titlePrefixes[index - 1])).toBe(true);
  });

  it('reports the Security Verification modal at once and shows ⚠️ in the title while it is there', async () => {
    const { connection, page } = await setup();
    await connection.take('worker-hello');
    connection.ack();
    await delay(50);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.connected);

    page.state = { ...page.state, verification: true };
    page.pageChanged();
    expect((await connection.take('page-state', undefined, 100)).page.verification).toBe(true);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.verification);
    expect(page.warnings.map((warning) => warning.message)).toContainEqual(expect.stringContaining('Security Verification'));

    page.state = { ...page.state, verification: false };
    page.pageChanged();
    expect((await connection.take('page-state', undefined, 100)).page.verification).toBe(false);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.connected);
  });

  it('drops malformed messages with a warning and keeps working', async () => {
    const { connection, agent, page } = await setup();
    await connection.take('worker-hello');
    connection.ack();
    connection.send('not json');
    connection.send({ type: 'no-such-message' });
    connection.send({ type: 'job-ack', jobId: 'x', credit: -1 });
    connection.send(JSON.stringify({ type: 'page-reload', protocolVersion: 99, reason: 'old' }));
    connection.send({ type: 'job-start', jobId: 'bad-1', window: 4, request: { method: 'BREW', url: '/', headers: {} } });
    const refused = await connection.take('job-error');
    expect(refused).toMatchObject({ jobId: 'bad-1', reason: 'bad-request' });
    expect(page.warnings.length).toBeGreaterThanOrEqual(5);
    expect(page.reloads).toBe(0);

    connection.send({ type: 'page-reload', reason: 'challenge' });
    await delay(50);
    expect(page.reloads).toBe(1);
    expect(agent.connected).toBe(true);
  });

  it('reconnects with backoff after the bridge restarts, and aborts running jobs', async () => {
    let upstreamClosed = false;
    const upstream = await startUpstream((_request, response, raw) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('a0:"hi"\n');
      raw.socket.once('close', () => void (upstreamClosed = true));
    });
    cleanups.push(() => upstream.close());
    const { bridge, connection, page } = await setup({ upstream });
    await connection.take('worker-hello');
    connection.ack();
    connection.send({ type: 'job-start', jobId: 'j-1', window: 8, request: { method: 'GET', url: '/stream', headers: {} } });
    await connection.take('job-chunk');
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.busy);

    const port = bridge.port;
    await bridge.close();
    await delay(100);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.disconnected);
    await expect.poll(() => upstreamClosed).toBe(true);

    const restarted = await startFakeBridge(port);
    cleanups.push(() => restarted.close());
    const again = await restarted.nextConnection(3000);
    await again.take('worker-hello');
    again.ack();
    await delay(50);
    expect(page.titlePrefixes.at(-1)).toBe(TITLE_PREFIXES.connected);
    // The aborted job sent nothing on the new connection.
    expect(again.messages.some((message) => 'jobId' in message)).toBe(false);
  });

  it('closes and retries when no hello-ack arrives', async () => {
    const bridge = await startFakeBridge();
    cleanups.push(() => bridge.close());
    const { environment } = createNodeEnvironment({ bridgeUrl: bridge.url, timings: { helloAckTimeoutMs: 100 } });
    const agent = createAgent(environment);
    cleanups.push(() => agent.stop());
    agent.start();
    const first = await bridge.nextConnection();
    await first.take('worker-hello');
    await first.closed;
    const second = await bridge.nextConnection();
    await second.take('worker-hello');
  });
});
