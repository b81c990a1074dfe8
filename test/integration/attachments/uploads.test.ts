import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNodeAgent, type NodeAgent } from '../../support/node-agent.js';
import { startAttachmentBridge, dataUri, pngBytes, type AttachmentBridge } from './attachment-bridge.js';

let harness: AttachmentBridge;
let agent: NodeAgent;
let imageServer: Server;
let imageServerUrl: string;

beforeAll(async () => {
  harness = await startAttachmentBridge();
  agent = await connectNodeAgent(harness);
  await harness.waitForModels();
  imageServer = createServer((request, response) => {
    if (request.url === '/big.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(30 * 1024 * 1024) });
      response.end();
      return;
    }
    if (request.url !== '/cat.png') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'image/png' }).end(pngBytes('served over http'));
  });
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imageServerUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  agent.stop();
  await harness.close();
  await new Promise((resolve) => imageServer.close(resolve));
});
beforeEach(() => {
  agent.fetches.length = 0;
});

const ask = (model: string, parts: OpenAI.Chat.ChatCompletionContentPart[]) =>
  harness.client().chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, ...parts] }] });
const image = (url: string): OpenAI.Chat.ChatCompletionContentPart => ({ type: 'image_url', image_url: { url } });
const puts = () => agent.fetches.filter((entry) => entry.method === 'PUT' && entry.url.includes('/upload/'));
const actionCalls = () => agent.fetches.filter((entry) => entry.method === 'POST' && !entry.url.includes('/nextjs-api/'));

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe('attachments through the arena upload flow', () => {
  it('uploads a data: URI image and the vision model receives the stored file', async () => {
    const bytes = pngBytes('first');
    const answer = await ask('fake-vision', [image(dataUri(bytes))]);
    expect(answer.choices[0]?.message.content).toMatch(new RegExp(`\\[attachments: [0-9a-f-]+-file\\.png \\(image/png, ${bytes.length} bytes\\)\\]`));
    expect(puts()).toHaveLength(1);
    expect(actionCalls()).toHaveLength(2);
    const create = harness.fake.requests.at(-1)?.body as { userMessage: { experimental_attachments: { url: string }[] } };
    expect(create.userMessage.experimental_attachments[0]?.url).toMatch(/\/files\/.+X-Amz-Expires=/);
  });

  it('re-uses a cached upload of the same bytes (no second generateUploadUrl)', async () => {
    const bytes = pngBytes('cached');
    await ask('fake-vision', [image(dataUri(bytes))]);
    expect([puts().length, actionCalls().length]).toEqual([1, 2]);
    agent.fetches.length = 0;
    const again = await ask('fake-vision', [image(dataUri(bytes))]);
    expect(again.choices[0]?.message.content).toContain(`(image/png, ${bytes.length} bytes)`);
    expect([puts().length, actionCalls().length]).toEqual([0, 0]);
  });

  it('re-discovers stale action ids once and succeeds', async () => {
    await ask('fake-vision', [image(dataUri(pngBytes('before rotation')))]);
    harness.fake.rotateActionIds();
    agent.fetches.length = 0;
    const bytes = pngBytes('after rotation');
    const answer = await ask('fake-vision', [image(dataUri(bytes))]);
    expect(answer.choices[0]?.message.content).toContain(`(image/png, ${bytes.length} bytes)`);
    const pageReads = agent.fetches.filter((entry) => entry.method === 'GET' && new URL(entry.url).pathname === '/');
    expect(pageReads).toHaveLength(1);
    // The stale generateUploadUrl, its retry, then getSignedUrl.
    expect(actionCalls()).toHaveLength(3);
  });

  it('reports a failed generateUploadUrl as a clear 502', async () => {
    harness.fake.inject({ name: 'upload-url-fail', count: 1 });
    const error = await failure(ask('fake-vision', [image(dataUri(pngBytes('fails')))]));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/Uploading the attachment .* through LMArena failed: The server action generateUploadUrl failed: Failed to generate upload URL/);
  });

  it('reports a refused PUT as a clear 502', async () => {
    harness.fake.inject({ name: 'upload-put-forbidden', count: 1 });
    const error = await failure(ask('fake-vision', [image(dataUri(pngBytes('put refused')))]));
    expect(error.status).toBe(502);
    expect(error.message).toContain('failed with HTTP 403 (Access Denied)');
  });

  it('downloads an http(s) image URL and uploads it', async () => {
    const answer = await ask('fake-vision', [image(`${imageServerUrl}/cat.png`)]);
    expect(answer.choices[0]?.message.content).toContain(`cat.png (image/png, ${pngBytes('served over http').length} bytes)`);
  });

  it('refuses unreachable and oversized image URLs before contacting the arena', async () => {
    const missing = await failure(ask('fake-vision', [image(`${imageServerUrl}/missing.png`)]));
    expect([missing.status, missing.message]).toEqual([400, expect.stringContaining('failed with HTTP 404')]);
    const big = await failure(ask('fake-vision', [image(`${imageServerUrl}/big.png`)]));
    expect([big.status, (big.error as { code?: string }).code]).toEqual([413, 'attachment_too_large']);
    expect(puts()).toHaveLength(0);
  });

  it('refuses images for a model without image input, naming the model and the part', async () => {
    const error = await failure(ask('fake-echo', [image(dataUri(pngBytes('echo')))]));
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ code: 'unsupported_attachment', param: 'messages[0].content' });
    expect(error.message).toContain('"fake-echo" does not accept image input');
    expect(puts()).toHaveLength(0);
  });

  it('refuses a second image for a single-image model', async () => {
    const error = await failure(ask('fake-vision', [image(dataUri(pngBytes('one'))), image(dataUri(pngBytes('two')))]));
    expect([error.status, error.message]).toEqual([400, expect.stringContaining('accepts one image per message')]);
  });

  it('refuses files for a model without file input', async () => {
    const file: OpenAI.Chat.ChatCompletionContentPart = { type: 'file', file: { filename: 'notes.pdf', file_data: dataUri(Buffer.from('%PDF-1.4'), 'application/pdf') } };
    const error = await failure(ask('fake-vision', [file]));
    expect([error.status, error.message]).toEqual([400, expect.stringContaining('does not accept file input')]);
  });
});
