import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatService } from '../../../src/core/chat/chat-service.js';
import { defaultChatServiceOptions, type ChatServiceOptions } from '../../../src/core/chat/chat-service-options.js';
import type { ChatAnswer, AnswerEvent, ChatMessage, ChatRequest } from '../../../src/core/chat/chat-types.js';
import { createMemoryConversationStore, type ConversationStore } from '../../../src/core/conversation/conversation-store.js';
import { isBridgeError, type BridgeError } from '../../../src/core/errors/index.js';
import { createArenaModelFetcher } from '../../../src/core/models/fetch-arena-models.js';
import { createModelDirectory, type ArenaModelDirectory } from '../../../src/core/models/model-directory.js';
import { createRecordedPool, type RecordedPool } from '../../../src/core/test-support/recorded-pool.js';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { HttpWorker } from './http-worker.js';

type FakeArena = Awaited<ReturnType<typeof startFakeArena>>;

let fake: FakeArena;
let workerA: HttpWorker;
let workerB: HttpWorker;
let pool: RecordedPool;
let models: ArenaModelDirectory;
let conversations: ConversationStore;

beforeAll(async () => {
  fake = await startFakeArena();
});
afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  fake.reset();
  workerA = await HttpWorker.connect('worker-a', fake.url, fake);
  workerB = await HttpWorker.connect('worker-b', fake.url, fake);
  pool = createRecordedPool([workerA]);
  conversations = createMemoryConversationStore();
  // The model list comes through a pool of its own, so the tests' pool starts with no lease history.
  const catalog = createRecordedPool([workerA]);
  models = createModelDirectory({
    entries: [],
    showStealthModels: false,
    refreshMs: 60_000,
    fetchModels: createArenaModelFetcher(catalog),
    workers: catalog,
    logger: createSilentLogger(),
  });
  // Fetch the live list up front so the tests below see only their own jobs.
  await models.refresh();
  expect(models.status().liveModels).toBeGreaterThan(0);
  workerA.jobs.length = 0;
  pool.served.length = 0;
});

afterEach(() => {
  // Every lease taken by the service must be back, whatever the test did.
  expect(pool.outstanding()).toBe(0);
});

function service(options: Partial<ChatServiceOptions> = {}) {
  return createChatService({
    workers: pool,
    models,
    conversations,
    options: { ...defaultChatServiceOptions(), firstTokenTimeoutMs: 10_000, idleTimeoutMs: 5_000, ...options },
    logger: createSilentLogger(),
  });
}

const user = (content: string): ChatMessage => ({ role: 'user', content, attachments: [] });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content, attachments: [] });
let counter = 0;
const request = (model: string, messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  requestId: `r${(counter += 1)}`, model, messages, stream: true, ...extra,
});

async function collect(answer: ChatAnswer): Promise<{ events: AnswerEvent[]; batches: number; text: string }> {
  const events: AnswerEvent[] = [];
  let batches = 0;
  for await (const batch of answer.events) {
    expect(batch.length).toBeGreaterThan(0);
    batches += 1;
    events.push(...batch);
  }
  const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
  return { events, batches, text };
}

async function rejection(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    if (isBridgeError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const streamRequests = () => fake.requests.filter((entry) => entry.path.startsWith('/nextjs-api/stream/'));
const signal = () => new AbortController().signal;

describe('chat service against the fake LMArena', () => {
  it('answers a single turn with a new evaluation', async () => {
    const answer = await service().chat(request('fake-echo', [user('Hello there')]), signal());
    const { events, text } = await collect(answer);
    expect(text).toContain('Echo #1: Hello there');
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(answer.conversation?.evaluationSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['x-bridge-conversation']).toBe('new');
    expect(streamRequests().map((entry) => [entry.path, entry.status])).toEqual([['/nextjs-api/stream/create-evaluation', 200]]);
    expect(pool.outcomes).toEqual([
      { worker: 'worker-a', outcome: { kind: 'served' } },
      { worker: 'worker-a', outcome: { kind: 'ok' } },
    ]);
  });

  it('continues a known conversation with post-to-evaluation, sending only the new turn', async () => {
    const chat = service();
    const first = await chat.chat(request('fake-echo', [user('One')]), signal());
    const { text: reply } = await collect(first);
    const second = await chat.chat(request('fake-echo', [user('One'), assistant(reply), user('Two')]), signal());
    const { text } = await collect(second);
    expect(text).toContain('Echo #2: Two (history: 2 messages)');
    expect(second.conversation).toEqual(first.conversation);
    expect(second.headers['x-bridge-conversation']).toBe('continued');
    const post = streamRequests()[1];
    expect(post?.path).toBe(`/nextjs-api/stream/post-to-evaluation/${first.conversation?.evaluationSessionId}`);
    expect(JSON.stringify(post?.body)).not.toContain('One');
  });

  it('carries an unknown conversation into a new evaluation as a transcript', async () => {
    const answer = await service().chat(request('fake-echo', [user('Earlier'), assistant('Old answer'), user('Now')]), signal());
    const { text } = await collect(answer);
    expect(text).toContain('Echo #1');
    expect(answer.headers['x-bridge-conversation']).toBe('replayed');
    const body = JSON.stringify(streamRequests()[0]?.body);
    expect(body).toContain('BEGIN CONVERSATION JSON');
    expect(body).toContain('Old answer');
  });

  it('re-mints once when the reCAPTCHA token is rejected, on the same worker', async () => {
    fake.inject({ name: 'recaptcha-reject', count: 1 });
    const { text } = await collect(await service().chat(request('fake-echo', [user('captcha')]), signal()));
    expect(text).toContain('Echo #1: captcha');
    expect(streamRequests().map((entry) => entry.status)).toEqual([403, 200]);
    expect(pool.served).toEqual(['worker-a']);
    expect(pool.outcomes.map((entry) => entry.outcome.kind)).toEqual(['recaptcha-rejected', 'served', 'ok']);
  });

  it('re-mints as a v2 token after a v3 rejection (§6.4)', async () => {
    fake.inject({ name: 'recaptcha-require-v2', count: 2 });
    const { text } = await collect(await service().chat(request('fake-echo', [user('v2 please')]), signal()));
    expect(text).toContain('v2 please');
    const requests = streamRequests();
    expect(requests.map((entry) => entry.status)).toEqual([403, 200]);
    expect(requests[1]?.body).toHaveProperty('recaptchaV2Token');
    expect(requests[1]?.body).not.toHaveProperty('recaptchaV3Token');
  });

  it('moves to another worker when the re-minted token is still refused', async () => {
    pool.add(workerB);
    fake.inject({ name: 'recaptcha-reject', count: 2 });
    const { text } = await collect(await service().chat(request('fake-echo', [user('trusted')]), signal()));
    expect(text).toContain('trusted');
    expect(pool.outcomes.map((entry) => [entry.worker, entry.outcome.kind])).toEqual([
      ['worker-a', 'recaptcha-rejected'],
      ['worker-a', 'recaptcha-rejected'],
      ['worker-b', 'served'],
      ['worker-b', 'ok'],
    ]);
  });

  it('fails with recaptcha_failed when the only worker keeps refusing re-minted tokens', async () => {
    fake.inject({ name: 'recaptcha-reject', count: 3 });
    const error = await rejection(service().chat(request('fake-echo', [user('refused')]), signal()));
    expect(error.code).toBe('recaptcha_failed');
  });

  it('retries a Cloudflare challenge on another worker', async () => {
    pool.add(workerB);
    fake.inject({ name: 'challenge', count: 1 });
    const { text } = await collect(await service().chat(request('fake-echo', [user('cf')]), signal()));
    expect(text).toContain('cf');
    expect(pool.served).toEqual(['worker-a', 'worker-b']);
    expect(pool.outcomes).toEqual([
      { worker: 'worker-a', outcome: { kind: 'challenge' } },
      { worker: 'worker-b', outcome: { kind: 'served' } },
      { worker: 'worker-b', outcome: { kind: 'ok' } },
    ]);
  });

  it('retries on another worker when the worker is lost before output', async () => {
    pool.add(workerB);
    workerA.loseNextJobs = 1;
    const { text } = await collect(await service().chat(request('fake-echo', [user('lost')]), signal()));
    expect(text).toContain('lost');
    expect(pool.outcomes.map((entry) => [entry.worker, entry.outcome.kind])).toEqual([['worker-a', 'worker-lost'], ['worker-b', 'served'], ['worker-b', 'ok']]);
  });

  it('fails with 429 and Retry-After when rate-limited and no other worker is free', async () => {
    fake.inject({ name: 'rate-limit', count: 1 });
    const error = await rejection(service().chat(request('fake-echo', [user('limit')]), signal()));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
    expect(pool.outcomes[0]?.outcome.kind).toBe('rate-limited');
  });

  it('retries a provider error that arrives before any output', async () => {
    fake.inject({ name: 'provider-error', count: 1 });
    const { text } = await collect(await service().chat(request('fake-echo', [user('provider')]), signal()));
    expect(text).toContain('provider');
    expect(streamRequests()).toHaveLength(2);
  });

  it('throws mid-iteration when the stream is truncated after output, without retrying', async () => {
    fake.inject({ name: 'truncated', count: 1 });
    const answer = await service().chat(request('fake-echo', [user('cut')]), signal());
    const error = await rejection(collect(answer));
    expect(error.code).toBe('upstream_stream_error');
    expect(streamRequests()).toHaveLength(1);
  });

  it('cancels the page fetch when the request is aborted mid-stream', async () => {
    fake.setOptions({ pacing: { chunkDelayMs: 20 }, replyWords: 200 });
    const controller = new AbortController();
    const answer = await service().chat(request('fake-echo', [user('long')]), controller.signal);
    const iterator = answer.events[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'client_closed_request' });
    expect(workerA.jobs[0]?.cancelled).toBe(true);
    await expect.poll(() => streamRequests()[0]?.aborted, { timeout: 3000 }).toBe(true);
  });

  it('cancels the job when the consumer breaks out of the loop', async () => {
    fake.setOptions({ pacing: { chunkDelayMs: 20 }, replyWords: 200 });
    const answer = await service().chat(request('fake-echo', [user('break')]), signal());
    for await (const batch of answer.events) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(workerA.jobs[0]?.cancelled).toBe(true);
    await expect.poll(() => streamRequests()[0]?.aborted, { timeout: 3000 }).toBe(true);
  });

  it('returns images from an image model', async () => {
    const { events } = await collect(await service().chat(request('fake-image', [user('a cat')]), signal()));
    const image = events.find((event) => event.type === 'image');
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(image?.type === 'image' && image.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/images\//);
    expect(streamRequests()[0]?.body).toMatchObject({ modality: 'image' });
  });

  it('rejects an unknown model with close suggestions', async () => {
    const error = await rejection(service().chat(request('fake-ech', [user('x')]), signal()));
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('fake-echo');
  });

  it('replays the whole history on captured ids with the retry-replay protocol (Gen A)', async () => {
    const session = fake.createSession({ owner: workerA.page.identity ?? undefined });
    const chat = service({
      protocol: 'retry-replay',
      globalIds: { sessionId: session.sessionId, messageId: session.assistantMessageId, mode: 'direct_chat', battleTarget: 'A' },
    });
    const answer = await chat.chat(request('fake-echo', [user('Q1'), assistant('A1'), user('Q2')]), signal());
    const { text, events } = await collect(answer);
    expect(text).toContain('Q2');
    expect(text).toContain('(history: 2 messages)');
    expect(events.at(-1)).toMatchObject({ type: 'finish' });
    const put = streamRequests()[0];
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.assistantMessageId}`);
    expect((put?.body as { messages: unknown[] }).messages).toHaveLength(3);
  });
});
