/**
 * Conversations end to end with the official openai client: continuation, regeneration, edited
 * history, vendor conversation ids, a bridge restart in mid-conversation, affinity between two
 * identities, and prompts over the arena's size limit.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { startBridge } from '../../../src/server.js';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';
import { waitFor } from '../../support/wait-for.js';

type Message = { role: 'user' | 'assistant' | 'system'; content: string };
type WithConversation = { conversation?: { conversationId: string; evaluationSessionId: string } };

const CREATE = '/nextjs-api/stream/create-evaluation';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(overrides: Parameters<typeof startTestBridge>[0] = {}): Promise<TestBridge> {
  const harness = await startTestBridge(overrides);
  cleanups.push(() => harness.close());
  return harness;
}

async function ask(client: OpenAI, messages: Message[], extra: Record<string, unknown> = {}) {
  const { data, response } = await client.chat.completions.create({ model: 'fake-echo', messages, ...extra }).withResponse();
  return {
    content: data.choices[0]?.message.content ?? '',
    conversation: (data as WithConversation).conversation,
    state: response.headers.get('x-bridge-conversation'),
    warnings: response.headers.get('x-bridge-warnings'),
  };
}

const sessionOf = (harness: TestBridge, index: number): string | undefined => (harness.fake.requests[index]?.body as { id?: string } | undefined)?.id;

describe('continuation', () => {
  it('continues the same arena session turn after turn and returns the vendor ids, also in the first stream chunk', async () => {
    const harness = await start();
    await connectNodeAgent(harness);
    const client = harness.client();
    const history: Message[] = [{ role: 'user', content: 'One' }];
    const first = await ask(client, history);
    expect(first.state).toBe('new');
    const sessionId = sessionOf(harness, 0);
    expect(first.conversation).toEqual({ conversationId: expect.any(String), evaluationSessionId: sessionId });

    history.push({ role: 'assistant', content: first.content }, { role: 'user', content: 'Two' });
    const second = await ask(client, history);
    expect(second).toMatchObject({ content: echoReply('Two', { turn: 2, history: 2 }), state: 'continued', conversation: first.conversation });

    history.push({ role: 'assistant', content: second.content }, { role: 'user', content: 'Three' });
    const stream = await client.chat.completions.create({ model: 'fake-echo', messages: history, stream: true });
    let content = '';
    let firstChunk: WithConversation | undefined;
    for await (const chunk of stream) {
      firstChunk ??= chunk as WithConversation;
      content += chunk.choices[0]?.delta.content ?? '';
    }
    expect(firstChunk?.conversation).toEqual(first.conversation);
    expect(content).toBe(echoReply('Three', { turn: 3, history: 4 }));
    expect(harness.fake.requests.map((request) => request.path)).toEqual([
      CREATE,
      `/nextjs-api/stream/post-to-evaluation/${sessionId}`,
      `/nextjs-api/stream/post-to-evaluation/${sessionId}`,
    ]);
    expect(harness.fake.sessions.get(sessionId ?? '')?.messages).toHaveLength(6);
  });

  it('continues by conversation_id or evaluationSessionId when the client sends only the new turn', async () => {
    const harness = await start();
    await connectNodeAgent(harness);
    const client = harness.client();
    const first = await ask(client, [{ role: 'user', content: 'Remember me' }]);
    const byId = await ask(client, [{ role: 'user', content: 'By id' }], { conversation_id: first.conversation?.conversationId });
    expect(byId).toMatchObject({ content: echoReply('By id', { turn: 2, history: 2 }), state: 'continued' });
    const bySession = await ask(client, [{ role: 'user', content: 'By session' }], {
      conversation: { evaluationSessionId: first.conversation?.evaluationSessionId },
    });
    expect(bySession).toMatchObject({ content: echoReply('By session', { turn: 3, history: 4 }), state: 'continued' });
    const unknown = await ask(client, [{ role: 'user', content: 'Unknown' }], { conversation_id: 'no-such-conversation' });
    expect(unknown.state).toBe('new');
    expect(unknown.warnings).toContain('no-such-conversation');
    expect(harness.fake.requests.at(-1)?.path).toBe(CREATE);
  });
});

describe('continuation with images and sources', () => {
  it.each(['fake-search', 'fake-image'])('continues %s answers, whose content carries a sources list or image markdown', async (model) => {
    const harness = await start();
    await connectNodeAgent(harness);
    await harness.waitForModels();
    const client = harness.client();
    const history: Message[] = [{ role: 'user', content: 'Look this up' }];
    const first = await ask(client, history, { model });
    expect(first.content).toMatch(model === 'fake-search' ? /Sources:\n1\. \[/ : /!\[image\]\(/);
    history.push({ role: 'assistant', content: first.content }, { role: 'user', content: 'And then?' });
    const second = await ask(client, history, { model });
    expect(second.state).toBe('continued');
    expect(harness.fake.requests.at(-1)?.path).toBe(`/nextjs-api/stream/post-to-evaluation/${sessionOf(harness, 0)}`);
  });
});

describe('regenerate and edited history', () => {
  it('regenerates through the retry endpoint when the last answer is dropped, then continues from the new answer', async () => {
    const harness = await start();
    await connectNodeAgent(harness);
    const client = harness.client();
    const first = await ask(client, [{ role: 'user', content: 'Q1' }]);
    const turn2: Message[] = [{ role: 'user', content: 'Q1' }, { role: 'assistant', content: first.content }, { role: 'user', content: 'Q2' }];
    await ask(client, turn2);
    const sessionId = sessionOf(harness, 0) ?? '';
    const answerId = (harness.fake.requests[1]?.body as { modelAMessageId?: string }).modelAMessageId;

    const again = await ask(client, turn2);
    expect(again.state).toBe('regenerated');
    expect(again.content).toBe(echoReply('Q2', { turn: 2, history: 2 }).replace('Echo #2:', 'Echo #2 (regenerated):'));
    const retry = harness.fake.requests.at(-1);
    expect(retry?.method).toBe('PUT');
    expect(retry?.path).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${sessionId}/messages/${answerId}`);
    expect(harness.fake.sessions.get(sessionId)?.messages).toHaveLength(4);

    const next = await ask(client, [...turn2, { role: 'assistant', content: again.content }, { role: 'user', content: 'Q3' }]);
    expect(next).toMatchObject({ content: echoReply('Q3', { turn: 3, history: 4 }), state: 'continued' });
    expect(harness.fake.requests.at(-1)?.path).toBe(`/nextjs-api/stream/post-to-evaluation/${sessionId}`);
  });

  it('starts a new evaluation carrying the conversation when an earlier turn was edited', async () => {
    const harness = await start();
    await connectNodeAgent(harness);
    const client = harness.client();
    const first = await ask(client, [{ role: 'user', content: 'Original' }]);
    const edited = await ask(client, [
      { role: 'user', content: 'Original' },
      { role: 'assistant', content: `${first.content} (edited by the user)` },
      { role: 'user', content: 'Next' },
    ]);
    expect(edited.state).toBe('replayed');
    expect(harness.fake.requests.map((request) => request.path)).toEqual([CREATE, CREATE]);
    expect(sessionOf(harness, 1)).not.toBe(sessionOf(harness, 0));
    const prompt = (harness.fake.requests[1]?.body as { userMessage?: { content?: string } }).userMessage?.content ?? '';
    expect(prompt).toContain('(edited by the user)');
    expect(prompt.endsWith('Next')).toBe(true);
  });

  it('sends a repeated one-shot prompt as a new evaluation, not a regeneration', async () => {
    const harness = await start();
    await connectNodeAgent(harness);
    const client = harness.client();
    await ask(client, [{ role: 'user', content: 'Same' }]);
    const repeated = await ask(client, [{ role: 'user', content: 'Same' }]);
    expect(repeated).toMatchObject({ content: echoReply('Same'), state: 'new' });
    expect(harness.fake.requests.map((request) => request.path)).toEqual([CREATE, CREATE]);
  });
});

describe('restart', () => {
  it('continues the same evaluation session after the bridge restarts on the same data dir', async () => {
    const harness = await start();
    const identity = harness.fake.createIdentity({ email: 'restart@example.com' });
    const agent = await connectNodeAgent(harness, { identity });
    const first = await ask(harness.client(), [{ role: 'user', content: 'Before restart' }]);
    agent.stop();
    await harness.bridge.close();

    const restarted = await startBridge({ config: harness.config, logger: createSilentLogger() });
    cleanups.push(() => restarted.close());
    const client = new OpenAI({ baseURL: `${restarted.url}/v1`, apiKey: 'no-key-configured', maxRetries: 0, timeout: 30_000 });
    const second: TestBridge = { ...harness, bridge: restarted, url: restarted.url, client: () => client };
    const again = await connectNodeAgent(second, { identity });
    cleanups.push(async () => again.stop());

    const next = await ask(client, [
      { role: 'user', content: 'Before restart' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'After restart' },
    ]);
    expect(next).toMatchObject({ content: echoReply('After restart', { turn: 2, history: 2 }), state: 'continued', conversation: first.conversation });
    expect(harness.fake.requests.at(-1)?.path).toBe(`/nextjs-api/stream/post-to-evaluation/${first.conversation?.evaluationSessionId}`);
  });
});

describe('affinity', () => {
  it('sends follow-ups to the identity that owns the session, and replays when that identity is gone', async () => {
    const harness = await start();
    const alice = await connectNodeAgent(harness, { email: 'alice@example.com' });
    const bob = await connectNodeAgent(harness, { email: 'bob@example.com' });
    const client = harness.client();
    const history: Message[] = [{ role: 'user', content: 'Start' }];
    const first = await ask(client, history);
    const owner = harness.fake.requests[0]?.identity;
    const [ownerAgent, otherAgent] = owner === alice.userId ? [alice, bob] : [bob, alice];
    expect(ownerAgent.userId).toBe(owner);

    let last = first;
    for (const turn of ['Two', 'Three', 'Four']) {
      history.push({ role: 'assistant', content: last.content }, { role: 'user', content: turn });
      last = await ask(client, history);
      expect(last.state).toBe('continued');
      expect(harness.fake.requests.at(-1)?.identity).toBe(owner);
    }
    expect(harness.fake.requests.every((request) => request.status === 200)).toBe(true);

    ownerAgent.stop();
    await harness.waitForWorkers(1);
    history.push({ role: 'assistant', content: last.content }, { role: 'user', content: 'Owner gone' });
    const replayed = await ask(client, history);
    expect(replayed.state).toBe('replayed');
    expect(replayed.warnings).toContain('not connected');
    expect(replayed.conversation?.conversationId).toBe(first.conversation?.conversationId);
    expect(replayed.conversation?.evaluationSessionId).not.toBe(first.conversation?.evaluationSessionId);
    const request = harness.fake.requests.at(-1);
    expect(request?.path).toBe(CREATE);
    expect(request?.identity).toBe(otherAgent.userId);

    // The replayed session now belongs to the other identity; the conversation continues there.
    history.push({ role: 'assistant', content: replayed.content }, { role: 'user', content: 'Carry on' });
    expect((await ask(client, history)).state).toBe('continued');
    await waitFor(() => harness.fake.requests.at(-1)?.identity === otherAgent.userId, 'the follow-up on the other identity');
  });
});

/** A bridge whose fake also lists `fake-docs`, a model that accepts files. */
async function startWithFileModel(): Promise<TestBridge> {
  const harness = await startTestBridge({
    bridge: (fake) => {
      fake.setModels([
        ...fake.options.models,
        {
          id: '019c9f33-c4d5-7e6f-8a71-8293a4b5c6d7', publicName: 'fake-docs', organization: 'meta', provider: 'openai',
          capabilities: { inputCapabilities: { text: true, file: true }, outputCapabilities: { text: true } },
          behavior: 'vision',
        },
      ]);
      return {};
    },
  });
  cleanups.push(() => harness.close());
  await connectNodeAgent(harness);
  await harness.waitForModels();
  return harness;
}

describe('prompt size', () => {
  it('fails with a 400 prompt_too_long that states the limit when the flattened history is too long', async () => {
    const harness = await start();
    await connectNodeAgent(harness);
    const long = 'word '.repeat(6_000);
    const messages: Message[] = [];
    for (let turn = 0; turn < 3; turn += 1) messages.push({ role: 'user', content: long }, { role: 'assistant', content: long });
    messages.push({ role: 'user', content: 'Short question' });
    const failure = await harness.client().chat.completions.create({ model: 'fake-echo', messages }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe('prompt_too_long');
    expect(error.message).toMatch(/at most 50000 characters per message \(prompt_character_limit\)/);
    expect(harness.fake.requests).toHaveLength(0);
  });

  it('applies a configured prompt_character_limit (§15.8: the site\'s ceiling is uncertain)', async () => {
    const harness = await start({ bridge: { chat: { promptCharacterLimit: 2000 } } });
    await connectNodeAgent(harness);
    const failure = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'x'.repeat(2500) }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/at most 2000 characters per message/);
    const fits = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'y'.repeat(1900) }] });
    expect(fits.choices[0]?.message.content).toContain('yyyy');
  });

  it('sends the overflow of the history as an uploaded text file when the model accepts files', async () => {
    const harness = await startWithFileModel();
    const long = 'word '.repeat(6_000);
    const messages: Message[] = [];
    for (let turn = 0; turn < 3; turn += 1) messages.push({ role: 'user', content: long }, { role: 'assistant', content: long });
    messages.push({ role: 'user', content: 'Short question' });
    const { data, response } = await harness.client().chat.completions.create({ model: 'fake-docs', messages }).withResponse();
    expect(response.headers.get('x-bridge-warnings')).toContain('conversation-history.txt');
    const create = harness.fake.requests.find((request) => request.path === CREATE)?.body as {
      userMessage?: { content?: string; experimental_attachments?: { name: string; contentType: string; url: string }[] };
    };
    const prompt = create.userMessage?.content ?? '';
    expect(prompt.length).toBeLessThanOrEqual(50_000);
    expect(prompt).toContain('conversation-history.txt');
    expect(prompt.endsWith('Short question')).toBe(true);
    const attachments = create.userMessage?.experimental_attachments ?? [];
    expect(attachments).toHaveLength(1);
    expect(attachments[0]?.contentType).toMatch(/^text\/plain/);
    const stored = await fetch(attachments[0]?.url ?? '').then((file) => file.text());
    expect(JSON.parse(stored)).toHaveLength(6);
    expect(data.choices[0]?.message.content).toContain('[attachments: ');
  });

  it('uploads the history too when a refused session is replayed into a new evaluation', async () => {
    const harness = await startWithFileModel();
    const client = harness.client();
    const first = 'alpha '.repeat(4_500);
    const answer = await client.chat.completions.create({ model: 'fake-docs', messages: [{ role: 'user', content: first }] });
    harness.fake.inject({ name: 'wrong-owner' });
    await client.chat.completions.create({
      model: 'fake-docs',
      messages: [{ role: 'user', content: first }, { role: 'assistant', content: answer.choices[0]?.message.content ?? '' }, { role: 'user', content: 'beta '.repeat(5_000) }],
    });
    const creates = harness.fake.requests.filter((request) => request.path === CREATE);
    const replay = creates.at(-1)?.body as { userMessage?: { content?: string; experimental_attachments?: { name: string }[] } };
    expect(creates).toHaveLength(2);
    expect(replay.userMessage?.content).toContain('conversation-history.txt');
    expect(replay.userMessage?.experimental_attachments).toHaveLength(1);
  });
});
