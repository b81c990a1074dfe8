/**
 * The bridge end to end with the official openai client: HTTP → startBridge → real WebSocket →
 * the in-page agent's own code running in Node → the fake LMArena.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent, type NodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';

let harness: TestBridge;
let worker: NodeAgent;
beforeEach(async () => {
  harness = await startTestBridge();
  worker = await connectNodeAgent(harness);
});
afterEach(async () => {
  await harness.close();
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function streamContent(stream: AsyncIterable<{ choices: { delta: unknown }[] }>): Promise<{ content: string; reasoning: string; chunks: number }> {
  let content = '';
  let reasoning = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    const delta = chunk.choices[0]?.delta as { content?: string | null; reasoning_content?: string } | undefined;
    content += delta?.content ?? '';
    reasoning += delta?.reasoning_content ?? '';
  }
  return { content, reasoning, chunks };
}

describe('models', () => {
  it('lists the live models fetched through the worker, with their organization as owned_by', async () => {
    await harness.waitForModels();
    const models = await harness.client().models.list();
    const byId = new Map(models.data.map((model) => [model.id, model]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['fake-echo', 'fake-echo-pro', 'fake-reasoner', 'fake-image', 'fake-search']));
    expect(byId.get('fake-echo')?.owned_by).toBe('openai');
    expect(byId.get('fake-reasoner')?.owned_by).toBe('anthropic');
    expect(byId.get('fake-image')?.owned_by).toBe('google');
    // The stealth model has no organization and stays hidden by default.
    expect(byId.has('kiteki')).toBe(false);
    expect(worker.fetches).toContainEqual({ method: 'GET', url: `${harness.fake.url}/nextjs-api/model-catalog` });
  });
});

describe('chat completions', () => {
  it('answers without streaming with the exact echo text and upstream usage', async () => {
    const completion = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Say hi' }] });
    expect(completion.choices[0]?.message.content).toBe(echoReply('Say hi'));
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 2, completion_tokens: 19, total_tokens: 21 });
    expect(harness.fake.requests.map((request) => request.path)).toEqual(['/nextjs-api/stream/create-evaluation']);
  });

  it('streams the exact echo text in several chunks', async () => {
    const stream = await harness.client().chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Stream it' }] });
    const result = await streamContent(stream);
    expect(result.content).toBe(echoReply('Stream it'));
    expect(result.chunks).toBeGreaterThan(3);
  });

  it('returns reasoning_content apart from the content, streamed and not', async () => {
    const client = harness.client();
    const reasoning = 'Thinking about turn 1. The prompt has 2 words; answer by echoing it.';
    const completion = await client.chat.completions.create({ model: 'fake-reasoner', messages: [{ role: 'user', content: 'Think hard' }] });
    const message = completion.choices[0]?.message as { content: string | null; reasoning_content?: string } | undefined;
    expect(message?.content).toBe(echoReply('Think hard'));
    expect(message?.reasoning_content).toBe(reasoning);
    const stream = await client.chat.completions.create({ model: 'fake-reasoner', stream: true, messages: [{ role: 'user', content: 'Think hard' }] });
    expect(await streamContent(stream)).toMatchObject({ content: echoReply('Think hard'), reasoning });
  });

  it('reports usage only for the model that reports it, and honours include_usage', async () => {
    const client = harness.client();
    const withoutUsage = await client.chat.completions.create({ model: 'fake-echo-pro', messages: [{ role: 'user', content: 'No usage' }] });
    expect(withoutUsage.choices[0]?.message.content).toBe(echoReply('No usage'));
    expect(withoutUsage).not.toHaveProperty('usage');

    const usages: unknown[] = [];
    for (const model of ['fake-echo', 'fake-echo-pro']) {
      const stream = await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Count me' }] });
      for await (const chunk of stream) if (chunk.choices.length === 0) usages.push(chunk.usage);
    }
    expect(usages).toEqual([{ prompt_tokens: 2, completion_tokens: 19, total_tokens: 21 }, null]);

    const plain = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'Count me' }] });
    for await (const chunk of plain) {
      expect(chunk.choices).toHaveLength(1);
      expect(chunk.usage ?? undefined).toBeUndefined();
    }
  });

  it('continues a conversation: the follow-up goes to the same arena session as turn 2', async () => {
    const client = harness.client();
    const first = await client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'First question' }] });
    const answer = first.choices[0]?.message.content ?? '';
    expect(answer).toBe(echoReply('First question'));
    const second = await client.chat.completions.create({
      model: 'fake-echo',
      messages: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: answer },
        { role: 'user', content: 'Second question' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe(echoReply('Second question', { turn: 2, history: 2 }));
    const paths = harness.fake.requests.map((request) => request.path);
    expect(paths).toHaveLength(2);
    expect(paths[0]).toBe('/nextjs-api/stream/create-evaluation');
    const sessionId = (harness.fake.requests[0]?.body as { id?: string }).id;
    expect(paths[1]).toBe(`/nextjs-api/stream/post-to-evaluation/${sessionId}`);
    expect(harness.fake.sessions.get(sessionId ?? '')?.messages).toHaveLength(4);
  });
});

describe('images', () => {
  it('answers an image model in chat with a markdown image of the generated PNG', async () => {
    const completion = await harness.client().chat.completions.create({ model: 'fake-image', messages: [{ role: 'user', content: 'A red square' }] });
    const content = completion.choices[0]?.message.content ?? '';
    const match = /^!\[image\]\((http:\/\/127\.0\.0\.1:\d+\/images\/[\w-]+\.png)\)$/.exec(content);
    expect(match?.[1]?.startsWith(harness.fake.url)).toBe(true);
    const image = await fetch(match?.[1] ?? '');
    expect(image.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await image.arrayBuffer()).slice(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it('answers a video model with a markdown link to the video (markdown cannot show one), streamed and not', async () => {
    const client = harness.client();
    const completion = await client.chat.completions.create({ model: 'fake-video', messages: [{ role: 'user', content: 'A red ball bouncing' }] });
    const content = completion.choices[0]?.message.content ?? '';
    expect(content).toMatch(/^\[video\]\(http:\/\/127\.0\.0\.1:\d+\/\S+\)$/);
    const stream = await client.chat.completions.create({ model: 'fake-video', stream: true, messages: [{ role: 'user', content: 'A blue ball bouncing' }] });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toMatch(/^\[video\]\(http:\/\/127\.0\.0\.1:\d+\/\S+\)$/);
  });

  it('generates n=2 images as URLs and as b64_json', async () => {
    const client = harness.client();
    const urls = await client.images.generate({ model: 'fake-image', prompt: 'Two cats', n: 2 });
    const links = (urls.data ?? []).map((image) => image.url);
    expect(links).toHaveLength(2);
    expect(new Set(links).size).toBe(2);
    for (const link of links) expect(link).toMatch(new RegExp(`^${harness.fake.url}/images/[\\w-]+\\.png$`));

    const encoded = await client.images.generate({ model: 'fake-image', prompt: 'Two dogs', n: 2, response_format: 'b64_json' });
    expect(encoded.data).toHaveLength(2);
    for (const image of encoded.data ?? []) {
      expect(image.url).toBeUndefined();
      expect([...Buffer.from(image.b64_json ?? '', 'base64').subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }
    expect(harness.fake.requests.filter((request) => request.path.endsWith('create-evaluation'))).toHaveLength(4);
  });
});
