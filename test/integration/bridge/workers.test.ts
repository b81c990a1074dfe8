/** Several agents, cancellation and lost workers, end to end through real WebSockets. */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';
import { waitFor } from '../../support/wait-for.js';

let harness: TestBridge;
afterEach(async () => {
  await harness.close();
});

/** Slow enough streaming (about 30 records at 25 ms) to act while an answer is under way. */
const SLOW = { pacing: { chunkDelayMs: 25 } };

async function drain(stream: AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>): Promise<string> {
  let content = '';
  for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
  return content;
}

describe('cancellation', () => {
  it('aborts the page fetch within a second when the client aborts', async () => {
    harness = await startTestBridge({ fake: SLOW });
    const agent = await connectNodeAgent(harness);
    const controller = new AbortController();
    const stream = await harness.client().chat.completions.create(
      { model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Long answer please' }] },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const abortedAt = Date.now();
    controller.abort();
    const entry = await waitFor(() => harness.fake.requests.find((request) => request.aborted), 'the fake to record an aborted request', 1_000);
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
    expect(entry.finished).toBe(true);
    await waitFor(() => agent.agent.activeJobs === 0, 'the agent to drop the job', 1_000);
  });
});

describe('two agents', () => {
  it('share concurrent requests', async () => {
    harness = await startTestBridge({ fake: SLOW });
    const first = await connectNodeAgent(harness, { email: 'first@example.com' });
    const second = await connectNodeAgent(harness, { email: 'second@example.com' });
    const client = harness.client();
    const prompts = ['One', 'Two', 'Three', 'Four'];
    const answers = await Promise.all(
      prompts.map(async (content) => drain(await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content }] }))),
    );
    expect(answers).toEqual(prompts.map((prompt) => echoReply(prompt)));
    const served = harness.fake.requests.map((request) => request.identity);
    expect(served.filter((identity) => identity === first.userId)).toHaveLength(2);
    expect(served.filter((identity) => identity === second.userId)).toHaveLength(2);
  });

  it('fails the stream of an agent that disconnects mid-answer and serves the next request on the other', async () => {
    harness = await startTestBridge({ fake: SLOW });
    const agents = [await connectNodeAgent(harness, { email: 'first@example.com' }), await connectNodeAgent(harness, { email: 'second@example.com' })];
    const client = harness.client();
    const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Keep talking' }] });
    const iterator = stream[Symbol.asyncIterator]();
    const head = await iterator.next();
    let content = head.done === true ? '' : (head.value.choices[0]?.delta.content ?? '');
    const servedBy = agents.find((agent) => agent.userId === harness.fake.requests[0]?.identity);
    const other = agents.find((agent) => agent !== servedBy);
    if (servedBy === undefined || other === undefined) throw new Error('the first request was served by neither agent');
    servedBy.stop();
    const error = await (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return undefined;
        content += next.value.choices[0]?.delta.content ?? '';
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('disconnected');
    expect(echoReply('Keep talking').startsWith(content)).toBe(true);
    expect(content).not.toBe(echoReply('Keep talking'));
    await harness.waitForWorkers(1);

    const next = await client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Still there?' }] });
    expect(next.choices[0]?.message.content).toBe(echoReply('Still there?'));
    expect(harness.fake.requests.at(-1)?.identity).toBe(other.userId);
  });
});

describe('protocols and modes', () => {
  it('replays captured ids (Gen A, retry-replay) with the whole conversation', async () => {
    let session: ReturnType<TestBridge['fake']['createSession']> | undefined;
    harness = await startTestBridge({
      bridge: (fake) => {
        session = fake.createSession();
        return { arena: { protocol: 'retry-replay' }, capturedIds: { sessionId: session.sessionId, messageId: session.assistantMessageId } };
      },
    });
    if (session === undefined) throw new Error('no session was created');
    await connectNodeAgent(harness, { identity: { userId: session.ownerId, cookie: session.cookie } });
    const completion = await harness.client().chat.completions.create({
      model: 'fake-echo',
      messages: [
        { role: 'user', content: 'Earlier question' },
        { role: 'assistant', content: 'Earlier answer' },
        { role: 'user', content: 'Replay me' },
      ],
    });
    const request = harness.fake.requests.at(-1);
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.assistantMessageId}`);
    const messages = (request?.body as { messages?: { role: string; content: string }[] }).messages ?? [];
    expect(messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: 'Replay me' },
    ]);
    expect(completion.choices[0]?.message.content).toBe(echoReply('Replay me', { turn: 2, history: 2 }).replace('Echo #2:', 'Echo #2 (regenerated):'));
  });

  it('merges system prompts into one, first, in tavern mode', async () => {
    const conversation = [
      { role: 'system' as const, content: 'You are a pirate.' },
      { role: 'user' as const, content: 'Hello' },
      { role: 'assistant' as const, content: 'Ahoy' },
      { role: 'system' as const, content: 'Answer in English.' },
      { role: 'user' as const, content: 'Where is the treasure?' },
    ];
    const rolesSent = async (tavernMode: boolean): Promise<{ role: string; content: string }[]> => {
      let session: ReturnType<TestBridge['fake']['createSession']> | undefined;
      harness = await startTestBridge({
        bridge: (fake) => {
          session = fake.createSession();
          return { arena: { protocol: 'retry-replay' }, chat: { tavernMode }, capturedIds: { sessionId: session.sessionId, messageId: session.assistantMessageId } };
        },
      });
      if (session === undefined) throw new Error('no session was created');
      await connectNodeAgent(harness, { identity: { userId: session.ownerId, cookie: session.cookie } });
      await harness.client().chat.completions.create({ model: 'fake-echo', messages: conversation });
      const body = harness.fake.requests.at(-1)?.body as { messages?: { role: string; content: string }[] };
      await harness.close();
      return (body.messages ?? []).map(({ role, content }) => ({ role, content }));
    };
    expect(await rolesSent(true)).toEqual([
      { role: 'system', content: 'You are a pirate.\n\nAnswer in English.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Ahoy' },
      { role: 'user', content: 'Where is the treasure?' },
    ]);
    expect((await rolesSent(false)).map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'system', 'user']);

    // The current protocol has no system field: the merged system text leads the prompt.
    harness = await startTestBridge({ bridge: { chat: { tavernMode: true } } });
    await connectNodeAgent(harness);
    await harness.client().chat.completions.create({ model: 'fake-echo', messages: [conversation[0], conversation[4], conversation[3]].flatMap((message) => (message ? [message] : [])) });
    const body = harness.fake.requests.at(-1)?.body as { userMessage?: { content?: string } };
    expect(body.userMessage?.content).toBe('You are a pirate.\n\nAnswer in English.\n\nWhere is the treasure?');
  });
});
