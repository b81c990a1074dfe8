import { writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNodeAgent, type NodeAgent } from '../../support/node-agent.js';
import { sleep } from '../../support/wait-for.js';
import { dataUri, pngBytes, startAttachmentBridge, type AttachmentBridge } from './attachment-bridge.js';

const UPLOAD_KEY = 'file-host-key';
let harness: AttachmentBridge;
let agent: NodeAgent;

beforeAll(async () => {
  harness = await startAttachmentBridge({
    configure: (config) => ({
      ...config,
      server: { ...config.server, apiKey: 'bridge-key' },
      fileHost: { ...config.fileHost, enabled: true, uploadKey: UPLOAD_KEY, maxMb: 0.01, saveGeneratedImages: true },
    }),
  });
  await writeFile(join(harness.dataDir, 'config.jsonc'), '{"api_key": "secret"}');
  agent = await connectNodeAgent(harness);
  await harness.waitForModels().catch(() => undefined);
});
afterAll(async () => {
  agent.stop();
  await harness.close();
});

const upload = (body: Buffer, headers: Record<string, string>) =>
  fetch(`${harness.url}/files?name=photo.png`, { method: 'POST', headers: { 'content-type': 'image/png', ...headers }, body: new Uint8Array(body) });

/** A GET whose path is sent exactly as given (fetch would normalise `..`), with the bridge's key. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(harness.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET', headers: { authorization: 'Bearer bridge-key' } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the built-in file host', () => {
  it('stores with the upload key and serves publicly under an unguessable id', async () => {
    const bytes = pngBytes('hosted');
    const response = await upload(bytes, { authorization: `Bearer ${UPLOAD_KEY}` });
    expect(response.status).toBe(201);
    const stored = (await response.json()) as { id: string; url: string; bytes: number };
    expect(stored.id).toMatch(/^[A-Za-z0-9_-]{24}\.png$/);
    expect(stored.url).toBe(`${harness.url}/files/${stored.id}`);
    const served = await fetch(stored.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
  });

  it('refuses uploads without or with a wrong key, and the bridge API key is not the upload key', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer bridge-key' }];
    for (const headers of attempts) {
      const response = await upload(pngBytes('refused'), headers);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
  });

  it('refuses files over file_host_max_mb with 413', async () => {
    const response = await upload(Buffer.alloc(20_000, 1), { 'x-api-key': UPLOAD_KEY });
    expect(response.status).toBe(413);
    const original = await fetch(`${harness.url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file_name: 'big.bin', file_data: dataUri(Buffer.alloc(12_000, 1), 'application/octet-stream'), api_key: UPLOAD_KEY }),
    });
    expect(original.status).toBe(413);
  });

  it('speaks the original file bed protocol at /upload and /uploads/<filename>', async () => {
    const bytes = pngBytes('original protocol');
    const refused = await fetch(`${harness.url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file_name: 'a.png', file_data: dataUri(bytes), api_key: 'nope' }),
    });
    expect(refused.status).toBe(401);
    const response = await fetch(`${harness.url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file_name: 'a.png', file_data: dataUri(bytes), api_key: UPLOAD_KEY }),
    });
    const answer = (await response.json()) as { success: boolean; filename: string };
    expect(answer).toEqual({ success: true, filename: expect.stringMatching(/^[A-Za-z0-9_-]{24}\.png$/) });
    const served = await fetch(`${harness.url}/uploads/${answer.filename}`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
  });

  it('answers 404/400 to unknown ids and path traversal attempts, never a file outside the store', async () => {
    const attempts = [
      '/files/../config.jsonc',
      '/files/..%2Fconfig.jsonc',
      '/files/%2e%2e%2fconfig.jsonc',
      '/files/%2E%2E%2F%2E%2E%2Fconfig.jsonc',
      '/files/..%5Cconfig.jsonc',
      '/files//etc/passwd',
      '/files/%2Fetc%2Fpasswd',
      `/files/${encodeURIComponent(join(harness.dataDir, 'config.jsonc'))}`,
      '/uploads/..%2F..%2Fconfig.jsonc',
      '/files/AAAAAAAAAAAAAAAAAAAAAAAA.png',
      '/files/state.sqlite',
    ];
    for (const path of attempts) {
      const answer = await rawGet(path);
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain('secret');
    }
  });

  it('links what the model cannot take instead of refusing it', async () => {
    const bytes = pngBytes('linked');
    const answer = await harness.client({ apiKey: 'bridge-key' }).chat.completions.create({
      model: 'fake-echo',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: dataUri(bytes) } }] }],
    });
    const link = /\[Attached image: file-1\.png\]\((http:\/\/[^)]+)\)|\[Attached image: [^\]]+\]\((http:\/\/[^)]+)\)/.exec(answer.choices[0]?.message.content ?? '');
    expect(link).not.toBeNull();
    const url = link?.[1] ?? link?.[2] ?? '';
    expect(url.startsWith(`${harness.url}/files/`)).toBe(true);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes);
  });

  it('keeps local copies of generated images when save_generated_images is on', async () => {
    const answer = await harness.client({ apiKey: 'bridge-key' }).chat.completions.create({ model: 'fake-image', messages: [{ role: 'user', content: 'a cat' }] });
    const url = /!\[[^\]]*\]\(([^)]+)\)/.exec(answer.choices[0]?.message.content ?? '')?.[1] ?? '';
    expect(url.startsWith(`${harness.url}/files/`)).toBe(true);
    const served = await fetch(url);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
  });

  it('continues the arena session when the client sends back the answer with its local image link', async () => {
    const client = harness.client({ apiKey: 'bridge-key' });
    const first = await client.chat.completions.create({ model: 'fake-image', messages: [{ role: 'user', content: 'a dog' }] });
    const content = first.choices[0]?.message.content ?? '';
    expect(content).toContain(`](${harness.url}/files/`);
    const { response } = await client.chat.completions
      .create({ model: 'fake-image', messages: [{ role: 'user', content: 'a dog' }, { role: 'assistant', content }, { role: 'user', content: 'now in red' }] })
      .withResponse();
    expect(response.headers.get('x-bridge-conversation')).toBe('continued');
  });

  it('warns at startup that a loopback file host URL is useless to the arena', () => {
    const warning = harness.log.find((line) => line.level === 'warn' && line.message.includes('file_host_public_url'));
    expect(warning?.fields).toMatchObject({ url: harness.url, reason: expect.stringContaining('this machine') });
  });
});

describe('file host expiry and public URL', () => {
  let short: AttachmentBridge;
  beforeAll(async () => {
    short = await startAttachmentBridge({
      configure: (config) => ({ ...config, fileHost: { ...config.fileHost, enabled: true, uploadKey: UPLOAD_KEY, ttlMinutes: 0.005, publicUrl: 'https://files.example.com' } }),
    });
  });
  afterAll(async () => {
    await short.close();
  });

  it('announces the public URL, does not warn, and forgets files after their time-to-live', async () => {
    const response = await fetch(`${short.url}/files`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-api-key': UPLOAD_KEY }, body: 'short-lived' });
    const stored = (await response.json()) as { id: string; url: string };
    expect(stored.url).toBe(`https://files.example.com/files/${stored.id}`);
    expect(short.log.some((line) => line.message.includes('file_host_public_url'))).toBe(false);
    expect(await (await fetch(`${short.url}/files/${stored.id}`)).text()).toBe('short-lived');
    await sleep(400);
    expect((await fetch(`${short.url}/files/${stored.id}`)).status).toBe(404);
  });
});
