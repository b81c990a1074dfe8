import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSession } from '../../../src/fake-arena/index.js';
import { connectNodeAgent, type NodeAgent } from '../../support/node-agent.js';
import { dataUri, pngBytes, startAttachmentBridge, type AttachmentBridge } from './attachment-bridge.js';

const visionTurn = (url: string): OpenAI.Chat.ChatCompletionMessageParam[] => [
  { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] },
];

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe('Gen A (retry-replay) inline attachments', () => {
  let harness: AttachmentBridge;
  let agent: NodeAgent;
  let session: CreatedSession | undefined;
  beforeAll(async () => {
    harness = await startAttachmentBridge({
      configure: (config, fake) => {
        session = fake.createSession();
        return { ...config, arena: { ...config.arena, protocol: 'retry-replay' }, capturedIds: { ...config.capturedIds, sessionId: session.sessionId, messageId: session.assistantMessageId } };
      },
    });
    if (session === undefined) throw new Error('no session');
    agent = await connectNodeAgent(harness, { identity: { userId: session.ownerId, cookie: session.cookie } });
    await harness.waitForModels();
  });
  afterAll(async () => {
    agent.stop();
    await harness.close();
  });

  it('sends small data: URIs inline, as the original did', async () => {
    const answer = await harness.client().chat.completions.create({ model: 'fake-vision', messages: visionTurn(dataUri(pngBytes('inline'))) });
    expect(answer.choices[0]?.message.content).toContain('(image/png, inline)');
    expect(agent.fetches.some((entry) => entry.method === 'PUT')).toBe(true);
    expect(agent.fetches.some((entry) => entry.url.includes('/upload/'))).toBe(false);
  });

  it('answers 413 attachment_too_large before sending more than ~5 MB inline', async () => {
    const before = harness.fake.requests.length;
    const error = await failure(harness.client().chat.completions.create({ model: 'fake-vision', messages: visionTurn(dataUri(pngBytes('7'.repeat(5 * 1024 * 1024 + 10)))) }));
    expect(error.status).toBe(413);
    expect(error.error).toMatchObject({ code: 'attachment_too_large' });
    expect(error.message).toContain('file_host_enabled');
    expect(harness.fake.requests.length).toBe(before);
  });
});

describe('the external file bed (§11.8)', () => {
  let harness: AttachmentBridge;
  let agent: NodeAgent;
  let bed: Server;
  let bedUrl = '';
  let rejectNext = false;
  const received: { file_name: string; file_data: string; api_key: string | null }[] = [];
  const stored = new Map<string, Buffer>();

  beforeAll(async () => {
    bed = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (part: Buffer) => parts.push(part));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/upload') {
          const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as (typeof received)[number];
          received.push(body);
          if (rejectNext || body.api_key !== 'bed-key') {
            rejectNext = false;
            response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'Invalid API Key' }));
            return;
          }
          const filename = `${randomUUID()}.png`;
          stored.set(filename, Buffer.from(body.file_data.split(',')[1] ?? '', 'base64'));
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true, filename }));
          return;
        }
        const file = stored.get(request.url?.replace('/uploads/', '') ?? '');
        if (file === undefined) response.writeHead(404).end();
        else response.writeHead(200, { 'content-type': 'image/png' }).end(file);
      });
    });
    await new Promise<void>((resolve) => bed.listen(0, '127.0.0.1', resolve));
    bedUrl = `http://127.0.0.1:${(bed.address() as AddressInfo).port}`;
    harness = await startAttachmentBridge({
      configure: (config) => ({ ...config, fileBed: { enabled: true, uploadUrl: `${bedUrl}/upload`, apiKey: 'bed-key' } }),
    });
    agent = await connectNodeAgent(harness);
    await harness.waitForModels();
  });
  afterAll(async () => {
    agent.stop();
    await harness.close();
    await new Promise((resolve) => bed.close(resolve));
  });

  it('uploads attachments to the file bed and sends its URL', async () => {
    const bytes = pngBytes('file bed');
    const answer = await harness.client().chat.completions.create({ model: 'fake-vision', messages: visionTurn(dataUri(bytes)) });
    expect(answer.choices[0]?.message.content).toContain('(image/png, external)');
    expect(received.at(-1)).toMatchObject({ file_name: 'file.png', api_key: 'bed-key', file_data: dataUri(bytes) });
    const body = harness.fake.requests.at(-1)?.body as { userMessage: { experimental_attachments: { url: string }[] } };
    const url = body.userMessage.experimental_attachments[0]?.url ?? '';
    expect(url).toMatch(new RegExp(`^${bedUrl}/uploads/[0-9a-f-]{36}\\.png$`));
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes);
    expect(agent.fetches.some((entry) => entry.url.includes('/upload/'))).toBe(false);
  });

  it('reports a refused file bed upload as a clear 502', async () => {
    rejectNext = true;
    const error = await failure(harness.client().chat.completions.create({ model: 'fake-vision', messages: visionTurn(dataUri(pngBytes('refused by bed'))) }));
    expect(error.status).toBe(502);
    expect(error.message).toContain(`to the file bed failed: the file bed at ${bedUrl}/upload answered HTTP 401: Invalid API Key`);
  });
});
