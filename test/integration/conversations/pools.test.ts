/**
 * Sessions and modes end to end: model_endpoint_map.json pools of Gen A sessions (direct_chat and
 * battle A/B) picked round-robin, an unhealthy entry rested, the global-ids fallback switch, and
 * side-by-side answers through the `model_b` vendor extension.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type BridgeOverrides, type TestBridge } from '../../support/test-bridge.js';

type Created = ReturnType<FakeArena['createSession']>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A bridge in retry-replay mode whose configuration is built from sessions owned by one identity. */
async function startGenA(configure: (sessions: (mode?: string) => Created, fake: FakeArena) => BridgeOverrides) {
  let owner: { userId: string; cookie: string } | undefined;
  const harness = await startTestBridge({
    bridge: (fake) => {
      const identity = fake.createIdentity({ email: 'owner@example.com' });
      owner = { userId: identity.userId, cookie: identity.cookie };
      const overrides = configure((mode) => fake.createSession({ owner: identity.userId, ...(mode === undefined ? {} : { mode }) }), fake);
      return { ...overrides, arena: { protocol: 'retry-replay', ...overrides.arena } };
    },
  });
  cleanups.push(() => harness.close());
  if (owner === undefined) throw new Error('no owner was created');
  await connectNodeAgent(harness, { identity: owner });
  return harness;
}

const retryPath = (session: Created): string =>
  `/nextjs-api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.assistantMessageId}`;
const regenerated = (prompt: string): string => echoReply(prompt, { turn: 1 }).replace('Echo #1:', 'Echo #1 (regenerated):');

async function ask(harness: TestBridge, content: string, model = 'fake-echo') {
  const { data, response } = await harness.client().chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();
  return { content: data.choices[0]?.message.content ?? '', model: data.model, side: response.headers.get('x-bridge-answer-side') };
}

describe('model_endpoint_map.json pools', () => {
  it('picks the entries round-robin, each in its own mode, and streams only the battle target side', async () => {
    const sessions: Created[] = [];
    const harness = await startGenA((create) => {
      sessions.push(create('battle'), create('battle'), create());
      const [battleA, battleB, direct] = sessions as [Created, Created, Created];
      return {
        endpointMap: {
          'fake-echo': [
            { sessionId: battleB.sessionId, messageId: battleB.assistantMessageId, mode: 'battle', battleTarget: 'B' },
            { sessionId: direct.sessionId, messageId: direct.assistantMessageId, mode: 'direct_chat' },
            { sessionId: battleA.sessionId, messageId: battleA.assistantMessageId, mode: 'battle', battleTarget: 'A' },
          ],
        },
      };
    });
    const [battleA, battleB, direct] = sessions as [Created, Created, Created];
    const answers = [await ask(harness, 'First'), await ask(harness, 'Second'), await ask(harness, 'Third'), await ask(harness, 'Fourth')];
    expect(harness.fake.requests.map((request) => request.path)).toEqual([retryPath(battleB), retryPath(direct), retryPath(battleA), retryPath(battleB)]);
    const positions = harness.fake.requests.map((request) =>
      ((request.body as { messages?: { participantPosition?: string }[] }).messages ?? []).map((message) => message.participantPosition).join(''),
    );
    expect(positions).toEqual(['b', 'a', 'a', 'b']);
    expect(answers.map((answer) => answer.content)).toEqual([regenerated('First'), regenerated('Second'), regenerated('Third'), regenerated('Fourth')]);
    expect(answers.map((answer) => answer.side)).toEqual(['B', null, 'A', 'B']);
  });

  it('rests an entry whose session the arena refuses and serves from the healthy one', async () => {
    let healthy: Created | undefined;
    let foreign: Created | undefined;
    const harness = await startGenA((create, fake) => {
      healthy = create();
      // Owned by somebody else: the arena answers 401 "does not have access".
      foreign = fake.createSession();
      return {
        endpointMap: {
          'fake-echo': [
            { sessionId: foreign.sessionId, messageId: foreign.assistantMessageId, mode: 'direct_chat' },
            { sessionId: healthy.sessionId, messageId: healthy.assistantMessageId, mode: 'direct_chat' },
          ],
        },
      };
    });
    if (healthy === undefined || foreign === undefined) throw new Error('sessions missing');
    for (const prompt of ['One', 'Two', 'Three']) expect((await ask(harness, prompt)).content).toBe(regenerated(prompt));
    const paths = harness.fake.requests.map((request) => `${request.status} ${request.path}`);
    expect(paths).toEqual([`401 ${retryPath(foreign)}`, `200 ${retryPath(healthy)}`, `200 ${retryPath(healthy)}`, `200 ${retryPath(healthy)}`]);
  });

  it('falls back to the global ids for an unmapped model only while use_default_ids_if_mapping_not_found is on', async () => {
    let global: Created | undefined;
    const harness = await startGenA((create) => {
      global = create();
      return { capturedIds: { sessionId: global.sessionId, messageId: global.assistantMessageId, useDefaultIdsIfMappingNotFound: true } };
    });
    if (global === undefined) throw new Error('session missing');
    expect((await ask(harness, 'Global')).content).toBe(regenerated('Global'));
    expect(harness.fake.requests.at(-1)?.path).toBe(retryPath(global));

    const strict = await startGenA((create) => {
      const ids = create();
      return { capturedIds: { sessionId: ids.sessionId, messageId: ids.assistantMessageId, useDefaultIdsIfMappingNotFound: false } };
    });
    const failure = await ask(strict, 'Strict').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('use_default_ids_if_mapping_not_found is false');
    expect(strict.fake.requests).toHaveLength(0);
  });
});

describe('side-by-side (model_b)', () => {
  it('runs a side-by-side evaluation and says which model answered', async () => {
    const harness = await startTestBridge();
    cleanups.push(() => harness.close());
    await connectNodeAgent(harness);
    const body = { model: 'fake-echo', model_b: 'fake-echo-pro', messages: [{ role: 'user' as const, content: 'Compare' }] };
    const { data, response } = await harness.client().chat.completions.create(body).withResponse();
    expect(data.choices[0]?.message.content).toBe(echoReply('Compare'));
    expect(data.model).toBe('fake-echo');
    expect(response.headers.get('x-bridge-answer-model')).toBe('fake-echo');
    expect(response.headers.get('x-bridge-model-b')).toBe('fake-echo-pro');
    expect(response.headers.get('x-bridge-answer-side')).toBe('A');
    const request = harness.fake.requests.at(-1)?.body as { mode?: string; modelAId?: string; modelBId?: string };
    expect(request.mode).toBe('side-by-side');
    expect(request.modelBId).toBeDefined();
    expect(request.modelBId).not.toBe(request.modelAId);
  });
});
