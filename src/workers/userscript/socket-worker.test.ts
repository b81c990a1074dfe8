import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_CLOSE_CODES } from './close-codes.js';
import { collect, connect, connectWorker, delay, PAGE, REQUEST, startBridge, stopAll } from './test-support/worker-endpoint-harness.js';

afterEach(stopAll);

const chunk = (jobId: string, data: string): Record<string, unknown> => ({ type: 'job-chunk', protocolVersion: 1, jobId, data });

describe('job flow control', () => {
  it('grants credit only as the consumer pulls', async () => {
    const { url, registry } = await startBridge({ window: 4 });
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');
    for (let index = 0; index < 4; index += 1) agent.send(chunk(jobId, `c${index}`));
    await delay(100);
    expect(agent.count('job-ack')).toBe(0);

    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toEqual(['c0', 'c1', 'c2', 'c3'].map((data) => ({ type: 'chunk', data })));
    await delay(50);
    // The consumer still holds the batch: no credit yet.
    expect(agent.count('job-ack')).toBe(0);

    const second = iterator.next();
    expect(await agent.waitFor('job-ack')).toEqual({ type: 'job-ack', protocolVersion: 1, jobId, credit: 4 });
    agent.send(chunk(jobId, 'c4'));
    agent.send({ type: 'job-end', protocolVersion: 1, jobId });
    expect((await second).value).toEqual([{ type: 'chunk', data: 'c4' }]);
  });

  it('streams many chunks through a slow consumer without exceeding the window', async () => {
    const window = 6;
    const total = 40;
    const { url, registry } = await startBridge({ window });
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');

    // A well-behaved agent: sends while it has credit, then waits for job-ack.
    let credit = window;
    let sent = 0;
    let acksSeen = 0;
    let maxUnacked = 0;
    const pump = (): void => {
      const acks = agent.received.filter((message) => message.type === 'job-ack');
      for (const ack of acks.slice(acksSeen)) credit += ack.credit;
      acksSeen = acks.length;
      while (credit > 0 && sent < total) {
        agent.send(chunk(jobId, String(sent)));
        sent += 1;
        credit -= 1;
        maxUnacked = Math.max(maxUnacked, window - credit);
      }
      if (sent === total) agent.send({ type: 'job-end', protocolVersion: 1, jobId });
    };
    agent.socket.on('message', pump);
    pump();

    const received: string[] = [];
    for await (const batch of stream) {
      for (const event of batch) if (event.type === 'chunk') received.push(event.data);
      expect(batch.filter((event) => event.type === 'chunk').length).toBeLessThanOrEqual(window);
      await delay(5);
    }
    expect(received).toEqual(Array.from({ length: total }, (_, index) => String(index)));
    expect(maxUnacked).toBeLessThanOrEqual(window);
    expect(agent.count('job-ack')).toBeGreaterThan(1);
    expect(agent.count('job-cancel')).toBe(0);
  });

  it('fails the job and cancels it when the agent overruns its credit', async () => {
    const { url, registry } = await startBridge({ window: 2 });
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');
    for (const data of ['a', 'b', 'c']) agent.send(chunk(jobId, data));
    expect(await agent.waitFor('job-cancel')).toMatchObject({ jobId, reason: 'credit window exceeded' });
    expect((await collect(stream)).flat()).toEqual([{ type: 'error', reason: 'internal', message: expect.stringContaining('2 unacknowledged') }]);
  });
});

describe('job cancellation and loss', () => {
  it('cancel() sends job-cancel and ends the stream with an aborted error', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');
    stream.cancel('deadline passed');
    expect(await agent.waitFor('job-cancel')).toEqual({ type: 'job-cancel', protocolVersion: 1, jobId, reason: 'deadline passed' });
    agent.send(chunk(jobId, 'late'));
    expect((await collect(stream)).flat()).toEqual([{ type: 'error', reason: 'aborted', message: expect.stringContaining('deadline passed') }]);
    expect(worker.activeJobs).toBe(0);
  });

  it('aborting the signal cancels a job the consumer is waiting on', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    const controller = new AbortController();
    const stream = worker.startJob(REQUEST, controller.signal);
    const { jobId } = await agent.waitFor('job-start');
    const events = collect(stream);
    await delay(20);
    controller.abort(new Error('client closed the connection'));
    expect(await agent.waitFor('job-cancel')).toMatchObject({ jobId, reason: 'client closed the connection' });
    expect((await events).flat()).toEqual([{ type: 'error', reason: 'aborted', message: expect.stringContaining('client closed') }]);
  });

  it('breaking out of for-await cancels the job in the page', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');
    agent.send(chunk(jobId, 'first'));
    for await (const batch of stream) {
      expect(batch).toEqual([{ type: 'chunk', data: 'first' }]);
      break;
    }
    expect(await agent.waitFor('job-cancel')).toMatchObject({ jobId, reason: 'consumer stopped reading' });
    expect(worker.activeJobs).toBe(0);
  });

  it('a socket closing mid-job fails the job with worker-lost and removes the worker', async () => {
    const { url, registry } = await startBridge();
    const { agent, worker } = await connectWorker(url, registry);
    const stream = worker.startJob(REQUEST, new AbortController().signal);
    const { jobId } = await agent.waitFor('job-start');
    agent.send(chunk(jobId, 'partial'));
    const events = collect(stream);
    await delay(20);
    agent.socket.close(1001, 'page navigated');
    expect((await events).flat()).toEqual([
      { type: 'chunk', data: 'partial' },
      { type: 'error', reason: 'worker-lost', message: expect.stringContaining(worker.id) },
    ]);
    await registry.waitFor(() => registry.removed.includes(worker));
    expect(worker.closed).toBe(true);
    const late = await collect(worker.startJob(REQUEST, new AbortController().signal));
    expect(late.flat()).toEqual([{ type: 'error', reason: 'worker-lost', message: expect.any(String) }]);
  });
});

describe('capacity', () => {
  it('follows the protocol the page reports, within the hard cap', async () => {
    const { url, registry } = await startBridge({ maxConcurrencyHttp1: 5, maxConcurrencyHttp2: 50 });
    const agent = await connect(url);
    agent.hello({ page: { ...PAGE, httpProtocol: 'h2' } });
    await registry.waitFor(() => registry.added.length === 1);
    const worker = registry.added[0];
    expect(worker?.maxConcurrency).toBe(50);
    agent.send({ type: 'page-state', protocolVersion: 1, page: { ...PAGE, httpProtocol: 'http/1.1' } });
    await registry.waitFor(() => registry.pageChanges.length === 1);
    expect(worker?.snapshot().maxConcurrency).toBe(5);
    agent.send({ type: 'page-state', protocolVersion: 1, page: { ...PAGE, httpProtocol: 'h3' } });
    await registry.waitFor(() => registry.pageChanges.length === 2);
    expect(worker?.maxConcurrency).toBe(50);

    const capped = await startBridge({ maxConcurrency: 16 });
    const { worker: cappedWorker, agent: cappedAgent } = await connectWorker(capped.url, capped.registry);
    expect(cappedWorker.maxConcurrency).toBe(6);
    cappedAgent.send({ type: 'page-state', protocolVersion: 1, page: { ...PAGE, httpProtocol: 'h2' } });
    await capped.registry.waitFor(() => capped.registry.pageChanges.length === 1);
    expect(cappedWorker.maxConcurrency).toBe(16);
  });
});

describe('heartbeats', () => {
  it('closes a worker that goes silent, and keeps one that sends heartbeats', async () => {
    const { url, registry } = await startBridge({ heartbeatIntervalMs: 30, workerTimeoutMs: 250 });
    const silent = await connectWorker(url, registry);
    const chatty = await connectWorker(url, registry);
    const timer = setInterval(() => chatty.agent.send({ type: 'heartbeat', protocolVersion: 1, at: Date.now(), activeJobs: 0 }), 30);
    try {
      const closed = await silent.agent.closed;
      expect(closed.code).toBe(WORKER_CLOSE_CODES.heartbeatTimeout);
      await registry.waitFor(() => registry.removed.includes(silent.worker));
      await delay(150);
      expect(chatty.worker.closed).toBe(false);
      expect(chatty.worker.lastHeartbeatAt).toBeGreaterThan(chatty.worker.connectedAt);
      expect(registry.removed).not.toContain(chatty.worker);
    } finally {
      clearInterval(timer);
    }
  });
});
