import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WORKER_CLOSE_CODES } from './close-codes.js';
import { collect, connect, connectWorker, PAGE, REQUEST, startBridge, stopAll } from './test-support/worker-endpoint-harness.js';

afterEach(stopAll);

describe('worker endpoint handshake', () => {
  it('refuses a socket whose Origin is not an arena origin, or that sends none', async () => {
    const { url, registry } = await startBridge();
    const foreign = await connect(url, 'https://evil.example');
    const missing = await connect(url, null);
    expect((await foreign.closed).code).toBe(WORKER_CLOSE_CODES.originNotAllowed);
    expect((await foreign.closed).reason).toContain('https://evil.example');
    expect((await missing.closed).code).toBe(WORKER_CLOSE_CODES.originNotAllowed);
    expect(registry.added).toHaveLength(0);
  });

  it('refuses a wrong pairing secret', async () => {
    const { url, registry } = await startBridge();
    const agent = await connect(url);
    agent.hello({ secret: 'not-the-secret' });
    expect(await agent.closed).toEqual({ code: WORKER_CLOSE_CODES.wrongSecret, reason: expect.stringContaining('secret') });
    expect(registry.added).toHaveLength(0);
  });

  it('refuses another protocol version and says so', async () => {
    const { url, registry } = await startBridge();
    const agent = await connect(url);
    agent.hello({ protocolVersion: 2 });
    const closed = await agent.closed;
    expect(closed.code).toBe(WORKER_CLOSE_CODES.protocolMismatch);
    expect(closed.reason).toContain('protocol version 2');
    expect(registry.added).toHaveLength(0);
  });

  it('refuses a first message that is not a valid worker-hello', async () => {
    const { url } = await startBridge();
    const garbage = await connect(url);
    garbage.send('{not json');
    const heartbeatFirst = await connect(url);
    heartbeatFirst.send({ type: 'heartbeat', protocolVersion: 1, at: 1, activeJobs: 0 });
    expect((await garbage.closed).code).toBe(WORKER_CLOSE_CODES.invalidHello);
    expect((await heartbeatFirst.closed).code).toBe(WORKER_CLOSE_CODES.invalidHello);
  });

  it('closes a socket that sends no hello in time', async () => {
    const { url, registry } = await startBridge({ helloTimeoutMs: 80 });
    const agent = await connect(url);
    expect((await agent.closed).code).toBe(WORKER_CLOSE_CODES.helloTimeout);
    expect(registry.added).toHaveLength(0);
  });

  it('answers a valid hello with hello-ack and adds the worker, on /ws too', async () => {
    const { url, registry } = await startBridge({ heartbeatIntervalMs: 1234 });
    const agent = await connect(url, 'https://lmarena.ai/', '/ws');
    agent.hello({ host: 'browser', pageToken: 'page-1' });
    const ack = await agent.waitFor('hello-ack');
    await registry.waitFor(() => registry.added.length === 1);
    const worker = registry.added[0];
    expect(ack).toEqual({ type: 'hello-ack', protocolVersion: 1, workerId: worker?.id, heartbeatIntervalMs: 1234 });
    expect(worker?.kind).toBe('browser');
    expect(worker?.page).toEqual(PAGE);
    // PAGE reports no protocol, as agents before it did: it counts as HTTP/1.1.
    expect(worker?.snapshot()).toMatchObject({ id: ack.workerId, kind: 'browser', activeJobs: 0, maxConcurrency: 6, agentVersion: '1.0.0' });
  });
});

describe('connected worker', () => {
  it('drops malformed frames and frames for unknown jobs, and stays connected', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    agent.send('not json at all');
    agent.send({ type: 'job-chunk', protocolVersion: 1, jobId: 'x' });
    agent.send({ type: 'mystery', protocolVersion: 1 });
    agent.send({ type: 'job-chunk', protocolVersion: 1, jobId: 'unknown-job', data: 'abc' });
    agent.send({ type: 'job-end', protocolVersion: 1, jobId: 'unknown-job' });
    agent.send({ type: 'page-state', protocolVersion: 1, page: { ...PAGE, challenge: true } });
    await registry.waitFor(() => registry.pageChanges.length === 1);
    expect(worker.page.challenge).toBe(true);
    expect(worker.closed).toBe(false);
    expect(registry.removed).toHaveLength(0);
    expect(agent.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('reports captured ids and sends page-reload and capture-arm', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    agent.send({ type: 'ids-captured', protocolVersion: 1, sessionId: 's-1', messageId: 'm-1' });
    await registry.waitFor(() => registry.captured.length === 1);
    expect(registry.captured).toEqual([{ sessionId: 's-1', messageId: 'm-1' }]);
    worker.reloadPage('challenge');
    worker.armCapture(true);
    expect(await agent.waitFor('page-reload')).toMatchObject({ reason: 'challenge' });
    expect(await agent.waitFor('capture-arm')).toMatchObject({ armed: true });
  });

  it('runs a job: job-start reaches the agent, events come back in order as batches', async () => {
    const { url, registry } = await startBridge({ window: 8 });
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const start = await agent.waitFor('job-start');
    expect(start).toEqual({ type: 'job-start', protocolVersion: 1, jobId: stream.jobId, request: REQUEST, window: 8 });
    expect(worker.activeJobs).toBe(1);
    const jobId = start.jobId;
    agent.send({ type: 'job-response', protocolVersion: 1, jobId, status: 200, headers: { 'content-type': 'text/plain' } });
    for (const data of ['a0:"Hel"\n', 'a0:"lo"\n', 'ad:{}\n']) agent.send({ type: 'job-chunk', protocolVersion: 1, jobId, data });
    agent.send({ type: 'job-end', protocolVersion: 1, jobId });
    const batches = await collect(stream);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    expect(batches.flat()).toEqual([
      { type: 'response', status: 200, headers: { 'content-type': 'text/plain' } },
      { type: 'chunk', data: 'a0:"Hel"\n' },
      { type: 'chunk', data: 'a0:"lo"\n' },
      { type: 'chunk', data: 'ad:{}\n' },
      { type: 'end' },
    ]);
    expect(worker.activeJobs).toBe(0);
  });

  it('delivers a job-error as the final error event', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');
    agent.send({ type: 'job-error', protocolVersion: 1, jobId, reason: 'recaptcha-failed', message: 'no token' });
    expect((await collect(stream)).flat()).toEqual([{ type: 'error', reason: 'recaptcha-failed', message: 'no token' }]);
  });
});
