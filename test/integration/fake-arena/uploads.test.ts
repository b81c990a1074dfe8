import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { CREATE, createBody, parseRecords, send, textOf } from './helpers.js';

let fake: FakeArena;
let clock = Date.now();
beforeAll(async () => {
  fake = await startFakeArena({ now: () => clock, signedUrlLifetimeSeconds: 60 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  clock = Date.now();
});

/** Calls a server action and returns the parsed `1:` row. */
async function action(name: keyof FakeArena['actionIds'], args: unknown[], options: { page?: string; cookie?: string; id?: string } = {}): Promise<{ status: number; result: Record<string, unknown> | undefined; text: string }> {
  const response = await fetch(`${fake.url}${options.page ?? '/?chat-modality=image'}`, {
    method: 'POST',
    headers: { accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8', 'next-action': options.id ?? fake.actionIds[name], cookie: options.cookie ?? '' },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  const row = text.split('\n').find((line) => line.startsWith('1:'));
  return { status: response.status, result: row === undefined ? undefined : (JSON.parse(row.slice(2)) as Record<string, unknown>), text };
}

describe('upload flow (§8.2)', () => {
  it('generateUploadUrl → PUT → getSignedUrl → GET, then the vision model sees the stored file', async () => {
    const generated = await action('generateUploadUrl', ['photo.png', 'image/png']);
    expect(generated.text).toMatch(/^0:\{"a":"\$@1","f":"","b":"[^"]+"\}\n1:/);
    const { uploadUrl, key } = (generated.result?.data ?? {}) as { uploadUrl: string; key: string };
    expect(uploadUrl).toMatch(/\/upload\/.+X-Amz-Algorithm=AWS4-HMAC-SHA256.*X-Amz-Date=\d{8}T\d{6}Z.*X-Amz-Expires=60.*X-Amz-Signature=[0-9a-f]{64}/);
    const bytes = Buffer.from('fake png bytes');
    expect((await fetch(uploadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: bytes })).status).toBe(200);
    const signed = await action('getSignedUrl', [key], { page: '/' });
    const url = String((signed.result?.data as { url: string }).url);
    const download = await fetch(url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    const vision = fake.options.models.find((model) => model.publicName === 'fake-vision')?.id;
    const cookie = fake.createIdentity().cookie;
    const body = createBody(fake, 'see', { modelAId: vision, userMessage: { content: 'see', experimental_attachments: [{ name: key, contentType: 'image/png', url }] } });
    const reply = textOf(parseRecords(await (await send(fake, CREATE, body, cookie)).text()));
    expect(reply).toContain(`${key} (image/png, ${bytes.length} bytes)`);
  });

  it('refuses expired and tampered presigned URLs', async () => {
    const { uploadUrl, key } = ((await action('generateUploadUrl', ['a.txt', 'text/plain'])).result?.data ?? {}) as { uploadUrl: string; key: string };
    // Flip the signature's first hex digit: always a different signature, whatever it was.
    const flipped = uploadUrl.replace(/X-Amz-Signature=([0-9a-f])/, (_, digit: string) => `X-Amz-Signature=${digit === '0' ? '1' : '0'}`);
    expect(flipped).not.toBe(uploadUrl);
    const tampered = await fetch(flipped, { method: 'PUT', body: 'x' });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('SignatureDoesNotMatch');
    expect((await fetch(uploadUrl, { method: 'PUT', body: 'x' })).status).toBe(200);
    const url = String(((await action('getSignedUrl', [key])).result?.data as { url: string }).url);
    clock += 61_000;
    const expiredGet = await fetch(url);
    expect([expiredGet.status, await expiredGet.text()]).toEqual([403, expect.stringContaining('Request has expired')]);
    expect((await fetch(uploadUrl, { method: 'PUT', body: 'x' })).status).toBe(403);
  });

  it('answers 404 "Server action not found." for rotated action ids', async () => {
    const old = fake.actionIds.generateUploadUrl;
    const rotated = fake.rotateActionIds();
    expect(rotated.generateUploadUrl).not.toBe(old);
    const stale = await action('generateUploadUrl', ['a.png', 'image/png'], { id: old });
    expect([stale.status, stale.text]).toEqual([404, 'Server action not found.']);
    expect((await action('generateUploadUrl', ['a.png', 'image/png'], { page: '/text/direct' })).result).toMatchObject({ success: true });
  });

  it('deleteEvaluationSession and updateTouConsent act for the caller', async () => {
    const created = fake.createSession();
    expect((await action('deleteEvaluationSession', [created.sessionId], { cookie: fake.createIdentity().cookie })).result).toMatchObject({ success: false });
    expect((await action('deleteEvaluationSession', [created.sessionId], { cookie: created.cookie })).result).toEqual({ success: true });
    expect(fake.sessions.has(created.sessionId)).toBe(false);
    expect((await action('updateTouConsent', [], { cookie: created.cookie })).result).toEqual({ success: true });
    expect((await action('updateTouConsent', [])).result).toMatchObject({ success: false });
  });
});
