/** Failures end to end: each arena failure reaches the openai client as the SDK's own error class. */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent, type NodeAgentOptions } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge, type TestBridgeOptions } from '../../support/test-bridge.js';

const running: TestBridge[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((harness) => harness.close()));
});

async function start(options: TestBridgeOptions = {}, agent: NodeAgentOptions | false = {}): Promise<TestBridge> {
  const harness = await startTestBridge(options);
  running.push(harness);
  if (agent !== false) await connectNodeAgent(harness, agent);
  return harness;
}

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(error)}`);
  return error;
}

const ask = (harness: TestBridge, content: string, model = 'fake-echo') =>
  harness.client().chat.completions.create({ model, messages: [{ role: 'user', content }] });

describe('upstream refusals', () => {
  it('passes a 429 on as RateLimitError with Retry-After', async () => {
    const harness = await start();
    const error = await failure(ask(harness, '[[fake:rate-limit]] Too fast'));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('1');
    expect(error.code).toBe('rate_limited');
    expect(harness.fake.requests.map((request) => request.status)).toEqual([429]);
  });

  it('passes a moderation refusal on as 422 content_filter', async () => {
    const harness = await start();
    const error = await failure(ask(harness, '[[fake:moderation]] Something rude'));
    expect(error).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('content_filter');
    expect(error.message).toContain('moderation');
  });

  it('answers 401 login_required, saying how to sign in, when an anonymous worker meets the login gate', async () => {
    const harness = await start({ fake: { requireLoginForDirect: true } }, { email: null });
    const error = await failure(ask(harness, 'Hello'));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.code).toBe('login_required');
    expect(error.message).toContain('lmarena-bridge login');
    expect(error.message).toContain('signed in');
  });

  it('retries a reCAPTCHA rejection with a fresh token and answers', async () => {
    const harness = await start();
    const prompt = '[[fake:recaptcha-reject-once]] Verify me';
    const completion = await ask(harness, prompt);
    expect(completion.choices[0]?.message.content).toBe(echoReply(prompt));
    expect(harness.fake.requests.map((request) => request.status)).toEqual([403, 200]);
    const tokens = harness.fake.requests.map((request) => (request.body as { recaptchaV3Token?: string }).recaptchaV3Token);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});

describe('mid-stream failure', () => {
  it('makes the SDK stream iterator throw, with no error text in the content', async () => {
    const harness = await start();
    const stream = await harness.client().chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: '[[fake:truncated]] Cut me off' }] });
    let content = '';
    const error = await (async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toContain('ended before the answer finished');
    expect(content.length).toBeGreaterThan(0);
    expect(echoReply('[[fake:truncated]] Cut me off').startsWith(content)).toBe(true);
  });
});

describe('requests the bridge refuses itself', () => {
  it('answers 404 for an unknown model, naming the closest models', async () => {
    const harness = await start();
    const error = await failure(ask(harness, 'Hi', 'fake-ehco'));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.param).toBe('model');
    expect(error.message).toContain('Closest names: fake-echo');
  });

  it('answers 503 naming the userscript URL when no worker is connected', async () => {
    const harness = await start({}, false);
    const error = await failure(ask(harness, 'Anyone there?'));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(503);
    expect(error.code).toBe('no_worker_available');
    expect(error.message).toContain(`${harness.url}/userscript.user.js`);
  });

  it('answers 503 naming the userscript URL after the last worker left', async () => {
    const harness = await startTestBridge();
    running.push(harness);
    const agent = await connectNodeAgent(harness);
    await ask(harness, 'Are you there?');
    agent.stop();
    await harness.waitForWorkers(0);
    const error = await failure(ask(harness, 'Anyone there?'));
    expect(error.status).toBe(503);
    expect(error.message).toContain(`${harness.url}/userscript.user.js`);
  });

  it('requires the configured API key', async () => {
    const harness = await start({ bridge: { server: { apiKey: 'sk-bridge-test' } } });
    const wrong = await failure(harness.client({ apiKey: 'sk-wrong' }).models.list());
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.code).toBe('invalid_api_key');
    await failure(harness.client({ apiKey: 'sk-wrong' }).chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'x' }] }));
    expect(harness.fake.requests).toHaveLength(0);
    const completion = await ask(harness, 'With the key');
    expect(completion.choices[0]?.message.content).toBe(echoReply('With the key'));

    // The userscript holds the pairing secret: with a key configured it needs the key too,
    // accepted as ?key= so installing stays one click, and kept in the script's update URL.
    expect((await fetch(`${harness.url}/userscript.user.js`)).status).toBe(401);
    const script = await fetch(`${harness.url}/userscript.user.js?key=sk-bridge-test`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('// @updateURL    ' + `${harness.url}/userscript.user.js?key=sk-bridge-test`);
  });
});
