/**
 * Requests that cannot work are refused before any worker or arena call: image generations with
 * a model that has no image output, and inline attachments whose data is broken. The official
 * openai client against the real bridge, a Node agent and the fake LMArena.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { echoReply } from '../../support/echo-reply.js';
import { connectNodeAgent, type NodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';

let harness: TestBridge;
let worker: NodeAgent;
beforeAll(async () => {
  harness = await startTestBridge();
  worker = await connectNodeAgent(harness);
  await harness.waitForModels();
});
afterAll(async () => {
  worker.stop();
  await harness.close();
});
beforeEach(() => {
  worker.fetches.length = 0;
});

type ApiError = InstanceType<typeof OpenAI.APIError>;

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  return error as ApiError;
}

/** What the worker sent to the fake besides reading pages and the model list: uploads, server actions, streams. */
const workerWrites = () => worker.fetches.filter((entry) => entry.method !== 'GET');

describe('image generations with a model that has no image output', () => {
  it.each(['fake-echo', 'fake-video'])('refuses %s with 400 on model, listing the image models, before any arena call', async (model) => {
    const streamsBefore = harness.fake.requests.length;
    const error = await refusal(harness.client().images.generate({ model, prompt: 'a red fox' }));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ code: 'invalid_request', type: 'invalid_request_error', param: 'model' });
    expect(error.message).toContain(`Model "${model}" does not generate images`);
    expect(error.message).toContain('Image models the bridge knows: fake-image.');
    expect(harness.fake.requests.length).toBe(streamsBefore);
    expect(workerWrites()).toEqual([]);
  });

  it('still answers the same model in chat completions, and image models in image generations', async () => {
    const completion = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Say hi' }] });
    expect(completion.choices[0]?.message.content).toBe(echoReply('Say hi'));
    const images = await harness.client().images.generate({ model: 'fake-image', prompt: 'a red fox' });
    expect(images.data?.[0]?.url).toMatch(/^https?:\/\//);
  });
});

describe('inline attachments whose data cannot be a file of their type', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
  const conversation = (part: OpenAI.Chat.ChatCompletionContentPart): OpenAI.Chat.ChatCompletionMessageParam[] => [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'What is this?' }, part] },
  ];
  const image = (url: string): OpenAI.Chat.ChatCompletionContentPart => ({ type: 'image_url', image_url: { url } });

  it.each([
    ['base64 with junk', image('data:image/png;base64,iVBORw0K Ggo='), 'image_url.url', "contains (U+0020) at offset 8, which is not a base64 character"],
    ['an empty image', image('data:image/png;base64,'), 'image_url.url', 'the data is empty (0 bytes)'],
    ['a JPEG declared as PNG', image(`data:image/png;base64,${JPEG.toString('base64')}`), 'image_url.url', 'declared as image/png, but its bytes are not image/png (they look like image/jpeg'],
    ['a PNG declared as PDF in a file part', { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PNG.toString('base64')}` } }, 'file.file_data', 'declared as application/pdf, but its bytes are not application/pdf'],
    ['raw base64 that is not base64', { type: 'file', file: { filename: 'notes.txt', file_data: 'not base64 at all!' } }, 'file.file_data', 'which is not a base64 character'],
  ] as const)('refuses %s with 400 unsupported_attachment naming the message and part, uploading nothing', async (_name, part, field, problem) => {
    const streamsBefore = harness.fake.requests.length;
    const error = await refusal(harness.client().chat.completions.create({ model: 'fake-vision', messages: conversation(part) }));
    const param = `messages[1].content[1].${field}`;
    expect(error.error).toMatchObject({ code: 'unsupported_attachment', type: 'invalid_request_error', param });
    expect(error.message).toContain(`Invalid '${param}': `);
    expect(error.message).toContain(problem);
    expect(harness.fake.requests.length).toBe(streamsBefore);
    expect(workerWrites()).toEqual([]);
  });

  it('uploads the same image when its data is sound', async () => {
    const answer = await harness.client().chat.completions.create({ model: 'fake-vision', messages: conversation(image(`data:image/png;base64,${PNG.toString('base64')}`)) });
    expect(answer.choices[0]?.message.content).toContain(`(image/png, ${PNG.length} bytes)`);
    expect(workerWrites().some((entry) => entry.method === 'PUT')).toBe(true);
  });
});
