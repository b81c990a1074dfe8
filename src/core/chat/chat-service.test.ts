import { describe, expect, it } from 'vitest';
import type { ArenaModel, ModelCapabilities } from '../../arena/types.js';
import { createSilentLogger } from '../../observability/logger.js';
import type { PageState } from '../../shared/worker-protocol.js';
import { FakeWorker, READY_PAGE, replayJobs, type ScriptStep } from '../../workers/test-support/fake-worker.js';
import type { JobEvent } from '../../workers/types.js';
import { createChatService } from './chat-service.js';
import { defaultChatServiceOptions, type ChatServiceOptions } from './chat-service-options.js';
import type { AnswerEvent } from './chat-types.js';
import { createMemoryConversationStore } from '../conversation/conversation-store.js';
import { isBridgeError, NoWorkerAvailableError } from '../errors/index.js';
import { createModelDirectory } from '../models/model-directory.js';
import { createRecordedPool } from '../test-support/recorded-pool.js';

const page: PageState = { ...READY_PAGE, auth: 'signed-in', identity: 'user-1' };

const capabilities: ModelCapabilities = {
  inputText: true, inputImage: false, inputFile: false, singleImageOnly: false,
  outputText: true, outputImage: false, outputSearch: false, outputVideo: false, outputWeb: false,
};
const live: ArenaModel[] = [
  { id: '0199f060-4c1e-7b2a-9f3d-2a61c0e4b8d1', publicName: 'm', organization: 'o', capabilities, stealth: false, userSelectable: true, arenas: [] },
  { id: '019a41a7-b8bc-743a-8c2e-5d7f1a9e3b20', publicName: 'n', organization: 'o', capabilities, stealth: false, userSelectable: true, arenas: [] },
];

const ok = (...records: string[]): ScriptStep[] => [
  { events: [{ type: 'response', status: 200, headers: {} }] },
  ...records.map((data) => ({ events: [{ type: 'chunk', data } as JobEvent] })),
  { events: [{ type: 'end' }] },
];

function setup(scripts: ScriptStep[][], options: Partial<ChatServiceOptions> = {}, connected = true) {
  const worker = new FakeWorker('scripted', { kind: 'browser', page, maxConcurrency: 4, script: replayJobs(scripts) });
  const source = createRecordedPool(connected ? [worker] : []);
  const models = createModelDirectory({
    entries: [], showStealthModels: false, refreshMs: 60_000, fetchModels: async () => live, workers: source, logger: createSilentLogger(),
  });
  const chat = createChatService({
    workers: source, models, conversations: createMemoryConversationStore(), logger: createSilentLogger(),
    options: { ...defaultChatServiceOptions(), firstTokenTimeoutMs: 2000, idleTimeoutMs: 2000, ...options },
  });
  return { worker, source, chat };
}

const ask = (model = 'm', modelB?: string) => ({
  requestId: 'r', model, stream: true, modelB, messages: [{ role: 'user' as const, content: 'hi', attachments: [] }],
});

async function drain(events: AsyncIterable<AnswerEvent[]>): Promise<AnswerEvent[]> {
  const all: AnswerEvent[] = [];
  // The events are the parser's own objects; the side they carry is not part of the answer.
  for await (const batch of events) all.push(...batch.map((event) => ({ ...event, side: undefined })));
  return all;
}

describe('createChatService (scripted worker)', () => {
  it('maps reasoning, text, citations and finish with usage, and reports ok', async () => {
    const { chat, source, worker } = setup([
      ok('ag:"think"\na0:"Hel', 'lo"\nac:{"toolCallId":"citation-source","argsTextDelta":"{\\"source\\":{\\"url\\":\\"https://x.invalid\\"}}"}\n', 'ad:{"finishReason":"length","usage":{"promptTokens":1,"completionTokens":2}}\n'),
    ]);
    const answer = await chat.chat(ask(), new AbortController().signal);
    expect(await drain(answer.events)).toEqual([
      { type: 'reasoning-delta', text: 'think' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'citation', url: 'https://x.invalid' },
      { type: 'finish', finishReason: 'length', usage: { promptTokens: 1, completionTokens: 2 } },
    ]);
    expect(source.outcomes.map((entry) => entry.outcome)).toEqual([{ kind: 'served' }, { kind: 'ok' }]);
    expect(source.outstanding()).toBe(0);
    expect(worker.requests[0]).toMatchObject({
      method: 'POST',
      url: '/nextjs-api/stream/create-evaluation',
      body: { kind: 'json' },
      recaptcha: { action: 'chat_submit', version: 'v3', field: 'recaptchaV3Token' },
    });
  });

  it('streams side A of a side-by-side evaluation', async () => {
    const { chat, worker } = setup([ok('a0:"A"\nb0:"B"\n', 'ad:{"finishReason":"stop"}\nbd:{"finishReason":"stop"}\n')]);
    const events = await drain((await chat.chat(ask('m', 'n'), new AbortController().signal)).events);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'A' }]);
    expect(worker.requests[0]?.body).toMatchObject({ value: { mode: 'side-by-side', modelBId: live[1]?.id } });
  });

  it('times out when a stream goes silent after output', async () => {
    const { chat, source, worker } = setup([[
      { events: [{ type: 'response', status: 200, headers: {} }, { type: 'chunk', data: 'a0:"x"\n' }] },
      { events: [{ type: 'chunk', data: 'ad:{"finishReason":"stop"}\n' }], delayMs: 5000 },
    ]], { idleTimeoutMs: 100 });
    const answer = await chat.chat(ask(), new AbortController().signal);
    await expect(drain(answer.events)).rejects.toMatchObject({ code: 'upstream_timeout' });
    expect(worker.jobs.filter((job) => job.cancelled).length).toBeGreaterThan(0);
    expect(source.outstanding()).toBe(0);
  });

  it('gives up with 504 when no output arrives before the first-token deadline', async () => {
    const { chat, source } = setup([[{ events: [{ type: 'response', status: 200, headers: {} }] }, { events: [{ type: 'chunk', data: 'a0:"late"\n' }], delayMs: 5000 }]], {
      firstTokenTimeoutMs: 150,
    });
    const started = Date.now();
    const error: unknown = await chat.chat(ask(), new AbortController().signal).catch((caught: unknown) => caught);
    expect(isBridgeError(error) && error.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(source.outstanding()).toBe(0);
  });

  it('releases the worker when the request aborts and nobody pulls the events', async () => {
    const { chat, source, worker } = setup([[
      { events: [{ type: 'response', status: 200, headers: {} }, { type: 'chunk', data: 'a0:"x"\n' }] },
      { events: [{ type: 'end' }], delayMs: 5000 },
    ]]);
    const controller = new AbortController();
    await chat.chat(ask(), controller.signal);
    expect(source.outstanding()).toBe(1);
    controller.abort();
    expect(source.outstanding()).toBe(0);
    expect(worker.jobs.filter((job) => job.cancelled)).toHaveLength(1);
  });

  it('does not retry a moderation refusal and maps it to content_filter', async () => {
    const { chat, worker } = setup([[
      { events: [{ type: 'response', status: 422, headers: { 'content-type': 'application/json' } }, { type: 'chunk', data: '{"error":"Request rejected: Content violates our terms of use"}' }, { type: 'end' }] },
    ]]);
    const error: unknown = await chat.chat(ask(), new AbortController().signal).catch((caught: unknown) => caught);
    expect(isBridgeError(error) && error.code).toBe('content_filter');
    expect(worker.requests).toHaveLength(1);
  });

  it('uses fresh ids on every attempt', async () => {
    const serverError = [{ events: [{ type: 'response', status: 502, headers: {} }, { type: 'end' }] as JobEvent[] }];
    const { chat, worker } = setup([serverError, ok('a0:"x"\nad:{"finishReason":"stop"}\n')]);
    await drain((await chat.chat(ask(), new AbortController().signal)).events);
    const ids = worker.requests.map((request) => (request.body?.value as { id: string }).id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('passes the pool\'s NoWorkerAvailableError through when no worker is connected', async () => {
    const { chat } = setup([], {}, false);
    const error: unknown = await chat.chat(ask(), new AbortController().signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoWorkerAvailableError);
    expect(isBridgeError(error) && error.code).toBe('no_worker_available');
  });

  it('replays the whole history on the captured ids with the retry-replay protocol, streaming the battle target', async () => {
    const sessionId = '019a0000-0000-7000-8000-000000000001';
    const messageId = '019a0000-0000-7000-8000-000000000002';
    const { chat, worker } = setup([ok('a0:"wrong side"\nb0:"right side"\n', 'ad:{"finishReason":"stop"}\nbd:{"finishReason":"stop"}\n')], {
      protocol: 'retry-replay',
      globalIds: { sessionId, messageId, mode: 'battle', battleTarget: 'B' },
      tavernMode: true,
    });
    const answer = await chat.chat(
      {
        requestId: 'g', model: 'm', stream: false,
        messages: [
          { role: 'user', content: 'first', attachments: [] },
          { role: 'system', content: 'sys', attachments: [] },
          { role: 'assistant', content: 'reply', attachments: [] },
          { role: 'user', content: 'second', attachments: [] },
        ],
      },
      new AbortController().signal,
    );
    const events = await drain(answer.events);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'right side' }]);
    expect(answer.conversation).toBeUndefined();
    const request = worker.requests[0];
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${sessionId}/messages/${messageId}`);
    const body = request?.body?.value as { messages: Array<{ role: string; content: string; participantPosition: string }>; modelId: string };
    expect(body.messages.map((message) => [message.role, message.content, message.participantPosition])).toEqual([
      ['system', 'sys', 'b'],
      ['user', 'first', 'b'],
      ['assistant', 'reply', 'b'],
      ['user', 'second', 'b'],
    ]);
    expect(body.modelId).toBe(live[0]?.id);
  });
});
