/**
 * Today's arena.ai (protocol §15) through the bridge with the official client: direct-battle and
 * the mode switch, the account-level "Security Verification" flag held per account, pacing, and the
 * events feed that tells a person about each.
 */
import { APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventsFeed } from '../../support/events-feed.js';
import { connectNodeAgent, type NodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';
import { sleep, waitFor } from '../../support/wait-for.js';

let harness: TestBridge;
afterEach(async () => {
  await harness.close();
});

const ask = (content: string) => harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content }] });

async function failure(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

const requestsOf = (agent: NodeAgent) => harness.fake.requests.filter((request) => request.identity === agent.userId && request.path.includes('/stream/'));

describe('direct chat on today\'s site (§15.1)', () => {
  it('starts with direct-battle by default and sends no mode on a follow-up', async () => {
    harness = await startTestBridge();
    await connectNodeAgent(harness);
    const first = await ask('Hello');
    expect(first.choices[0]?.message.content).toContain('Hello');
    await harness.client().chat.completions.create({
      model: 'fake-echo',
      messages: [{ role: 'user', content: 'Hello' }, { role: 'assistant', content: first.choices[0]?.message.content ?? '' }, { role: 'user', content: 'More' }],
    });
    const [create, post] = harness.fake.requests;
    expect(create?.body).toMatchObject({ mode: 'direct-battle' });
    expect(post?.path).toContain('/post-to-evaluation/');
    expect(post?.body).not.toHaveProperty('mode');
  });

  it('with direct_mode_value "direct" switches on the site\'s refusal within the same request and remembers it across a restart', async () => {
    harness = await startTestBridge({ bridge: { arena: { directModeValue: 'direct' } } });
    await connectNodeAgent(harness);
    const feed = await openEventsFeed(harness.url);
    const answer = await ask('Switch please');
    expect(answer.choices[0]?.message.content).toContain('Switch please');
    expect(harness.fake.requests.map((request) => [request.status, (request.body as { mode?: string }).mode])).toEqual([
      [400, 'direct'],
      [200, 'direct-battle'],
    ]);
    expect((await feed.next('mode.switched')).data).toMatchObject({ from: 'direct', to: 'direct-battle' });
    feed.close();

    await harness.restartBridge();
    await connectNodeAgent(harness, { email: 'again@example.com' });
    await ask('After the restart');
    expect((harness.fake.requests.at(-1)?.body as { mode?: string }).mode).toBe('direct-battle');
    expect(harness.fake.requests).toHaveLength(3);
  });
});

describe('the account flag (§15.4)', () => {
  it('holds the flagged account while another account keeps serving, and shows it in /health and the feed', async () => {
    harness = await startTestBridge();
    const alice = await connectNodeAgent(harness, { email: 'alice@example.com' });
    const bob = await connectNodeAgent(harness, { email: 'bob@example.com' });
    const feed = await openEventsFeed(harness.url);
    harness.fake.flagAccount(alice.userId, 1200);
    for (let index = 0; index < 6; index += 1) expect((await ask(`Question ${index}`)).choices[0]?.message.content).toContain(`Question ${index}`);
    expect(requestsOf(alice).length).toBeLessThanOrEqual(1);
    expect(requestsOf(bob).filter((request) => request.status === 200)).toHaveLength(6);
    const held = await feed.next('account.held');
    expect(held.data).toMatchObject({ account: 'alice@example.com' });
    expect(String(held.data.action)).toContain('Security Verification');
    const health = (await (await fetch(`${harness.url}/health`)).json()) as { accounts: Array<{ account: string; state: string; until: string | null; workers: string[] }> };
    expect(health.accounts.find((account) => account.account === 'alice@example.com')).toMatchObject({ state: 'held', until: expect.any(String) });
    expect(health.accounts.find((account) => account.account === 'bob@example.com')).toMatchObject({ state: 'serving', until: null });
    feed.close();
  });

  it('with only the flagged account answers 503 account_verification_required within 2 s and sends at most one probe per hold', async () => {
    harness = await startTestBridge({ fake: { accountFlag: { tripAfter: 1000, withinSeconds: 60, holdSeconds: 2 } } });
    const alice = await connectNodeAgent(harness, { email: 'alice@example.com' });
    harness.fake.flagAccount(alice.userId, 2);
    const startedAt = Date.now();
    const refused = await failure(ask('Anyone there?'));
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('account_verification_required');
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.message).toContain('alice@example.com');
    // The refusal a fresh token did not fix, and the fresh token: nothing more.
    expect(requestsOf(alice)).toHaveLength(2);
    for (const prompt of ['One', 'Two', 'Three']) expect((await failure(ask(prompt))).code).toBe('account_verification_required');
    expect(requestsOf(alice)).toHaveLength(2);

    // The hold ends: the next request is the one probe. The account is still flagged, so it re-holds.
    await waitFor(async () => {
      const health = (await (await fetch(`${harness.url}/health`)).json()) as { accounts: Array<{ state: string }> };
      return health.accounts[0]?.state === 'probing';
    }, 'the hold to end', 8000);
    harness.fake.flagAccount(alice.userId, 60);
    const outcomes = await Promise.all(['P1', 'P2', 'P3'].map((prompt) => failure(ask(prompt))));
    expect(outcomes.map((error) => error.code)).toEqual(['account_verification_required', 'account_verification_required', 'account_verification_required']);
    expect(requestsOf(alice)).toHaveLength(3);
    const metrics = await (await fetch(`${harness.url}/metrics`)).text();
    expect(metrics).toMatch(/bridge_account_probes_rejected_total 1\b/);
    expect(metrics).toMatch(/bridge_account_holds\{state="held"\} 1\b/);
  });

  it('lifts the hold at once when the page reports the verification passed', async () => {
    harness = await startTestBridge();
    const alice = await connectNodeAgent(harness, { email: 'alice@example.com' });
    const feed = await openEventsFeed(harness.url);
    harness.fake.flagAccount(alice.userId, 1200);
    expect((await failure(ask('Blocked'))).code).toBe('account_verification_required');
    alice.page.state = { ...alice.page.state, verification: true };
    await feed.next('challenge.shown', (data) => data.kind === 'verification');
    harness.fake.clearAccountFlag(alice.userId);
    alice.page.state = { ...alice.page.state, verification: false };
    await feed.next('challenge.cleared', (data) => data.kind === 'verification');
    expect((await feed.next('account.released')).data).toMatchObject({ account: 'alice@example.com', reason: 'verification-passed' });
    expect((await ask('Free again')).choices[0]?.message.content).toContain('Free again');
    feed.close();
  });

  it('carries the conversations of a held account on in new evaluations on another account', async () => {
    harness = await startTestBridge();
    const alice = await connectNodeAgent(harness, { email: 'alice@example.com' });
    const chats = [['Remember me', await ask('Remember me')], ['Second chat', await ask('Second chat')]] as const;
    const bob = await connectNodeAgent(harness, { email: 'bob@example.com' });
    harness.fake.flagAccount(alice.userId, 1200);
    const followUp = (index: number) => {
      const [prompt, answer] = chats[index] ?? chats[0];
      return harness.client().chat.completions.create({
        model: 'fake-echo',
        messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: answer.choices[0]?.message.content ?? '' }, { role: 'user', content: `Still there ${index}?` }],
      }).withResponse();
    };
    // The first follow-up finds the flag on alice's page; the second is planned while she is held.
    for (const index of [0, 1]) {
      const { data, response } = await followUp(index);
      expect(data.choices[0]?.message.content).toContain(`Still there ${index}?`);
      expect(response.headers.get('x-bridge-conversation')).toBe('replayed');
      expect(harness.fake.requests.at(-1)?.identity).toBe(bob.userId);
    }
    expect(requestsOf(alice).filter((request) => request.status === 403)).toHaveLength(1);
  });

  it('keeps a hold across a restart: the restarted bridge sends the account nothing', async () => {
    harness = await startTestBridge();
    const identity = harness.fake.createIdentity({ email: 'alice@example.com' });
    await connectNodeAgent(harness, { email: 'alice@example.com', identity });
    harness.fake.flagAccount(identity.userId, 1200);
    expect((await failure(ask('Before'))).code).toBe('account_verification_required');
    const seen = harness.fake.requests.length;
    await harness.restartBridge();
    await connectNodeAgent(harness, { email: 'alice@example.com', identity });
    const startedAt = Date.now();
    expect((await failure(ask('After'))).code).toBe('account_verification_required');
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(harness.fake.requests).toHaveLength(seen);
  });
});

describe('per-account pacing', () => {
  it('spreads 20 requests over two accounts by their hourly budgets, then says when the next one frees', async () => {
    harness = await startTestBridge({ bridge: { accounts: { hourlyBudget: 10 } } });
    const alice = await connectNodeAgent(harness, { email: 'alice@example.com' });
    const bob = await connectNodeAgent(harness, { email: 'bob@example.com' });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => ask(`Paced ${index}`)));
    expect(answers.every((answer, index) => answer.choices[0]?.message.content?.includes(`Paced ${index}`))).toBe(true);
    expect(requestsOf(alice)).toHaveLength(10);
    expect(requestsOf(bob)).toHaveLength(10);
    const refused = await failure(ask('One too many'));
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('account_budget_exhausted');
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(3500);
    await sleep(0);
  });
});
