import { constants } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { generateSelfSignedCertificate } from '../../../src/fake-arena/tls-certificate.js';
import { closeSession, h2Request, openSession } from './h2-client.js';
import { CREATE, createBody, parseRecords, send, textOf, useSharedFake } from './helpers.js';

const PACING_MS = 25;
const shared = useSharedFake({ tls: true, pacing: { chunkDelayMs: PACING_MS } });
let fake: FakeArena;
let cookie: string;
let session: ClientHttp2Session;
beforeEach(async () => {
  ({ fake, cookie } = shared);
  session = await openSession(fake);
});
afterEach(() => closeSession(session));

/** A create-evaluation over the test's HTTP/2 session. */
function createOverH2(prompt: string, headers: Record<string, string> = {}): ReturnType<typeof h2Request> {
  const body = JSON.stringify(createBody(fake, prompt));
  return h2Request(session, { ':method': 'POST', ':path': CREATE, 'content-type': 'text/plain;charset=UTF-8', cookie, ...headers }, body);
}

describe('the fake over TLS with HTTP/2', () => {
  it('serves https:// with its certificate and negotiates h2', () => {
    expect(fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(session.alpnProtocol).toBe('h2');
  });

  it('streams a create-evaluation in paced DATA frames', async () => {
    const exchange = await createOverH2('over h2');
    expect(exchange.headers[':status']).toBe(200);
    expect(exchange.headers['content-type']).toBe('text/event-stream');
    expect(exchange.headers['ratelimit']).toBe('limit=1800;w=300');
    expect([exchange.error, exchange.rstCode]).toEqual([undefined, constants.NGHTTP2_NO_ERROR]);
    const records = parseRecords(exchange.text);
    expect(textOf(records)).toMatch(/^Echo #1: over h2 \(history: 0 messages\) héllo — 你好 🙂/);
    expect(records.at(-1)?.code).toBe('d');
    // One record per chunk, PACING_MS apart: many frames, spread over (frames - 1) pauses.
    const { frames } = exchange;
    expect(frames.length).toBeGreaterThanOrEqual(10);
    const spread = (frames.at(-1)?.at ?? 0) - (frames[0]?.at ?? 0);
    expect(spread).toBeGreaterThanOrEqual((frames.length - 1) * PACING_MS * 0.8);
    expect(fake.requests.at(-1)).toMatchObject({ httpVersion: '2.0', status: 200, finished: true, aborted: false });
  });

  it('multiplexes concurrent streams on one session', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, (_, index) => createOverH2(`parallel ${index}`)));
    expect(replies.map((reply) => reply.headers[':status'])).toEqual(Array(8).fill(200));
    replies.forEach((reply, index) => expect(textOf(parseRecords(reply.text))).toContain(`parallel ${index}`));
  });

  it('drop: resets the stream mid-body with INTERNAL_ERROR; the session carries on', async () => {
    const dropped = await createOverH2('dropped', { 'x-fake-arena-inject': 'drop' });
    expect(dropped.headers[':status']).toBe(200);
    expect(dropped.text).toMatch(/^a0:/);
    expect(dropped.text).not.toMatch(/\nad:/);
    expect(dropped.rstCode).toBe(constants.NGHTTP2_INTERNAL_ERROR);
    expect(dropped.error?.code).toBe('ERR_HTTP2_STREAM_ERROR');
    const next = await createOverH2('after the drop');
    expect([next.headers[':status'], next.error]).toEqual([200, undefined]);
  });

  it('answers by :authority: lmarena.* hosts redirect; pages, HEAD, cookies and the loopback-only admin API work', async () => {
    const moved = await h2Request(session, { ':path': '/text/direct?x=1', ':authority': 'lmarena.ai' });
    expect([moved.headers[':status'], moved.headers.location]).toEqual([301, `${fake.url}/text/direct?x=1`]);
    const redirect = await h2Request(session, { ':path': '/?mode=direct' });
    expect([redirect.headers[':status'], redirect.headers.location]).toEqual([301, '/text/direct']);
    const page = await h2Request(session, { ':path': '/' });
    expect(page.headers[':status']).toBe(200);
    expect((page.headers['set-cookie'] ?? []).map((value) => value.split('=')[0]).sort()).toEqual(['arena-auth-prod-v1', 'provisional_user_id']);
    expect(page.text).toContain('self.__next_f.push');
    const head = await h2Request(session, { ':method': 'HEAD', ':path': '/' });
    expect([head.headers[':status'], head.text, head.error]).toEqual([200, '', undefined]);
    const admin = await h2Request(session, { ':path': '/__fake/state' });
    expect([admin.headers[':status'], (JSON.parse(admin.text) as { url: string }).url]).toEqual([200, fake.url]);
  });

  it('runs the upload flow: server action → presigned https URL → PUT and GET over h2', async () => {
    const action = await h2Request(session, {
      ':method': 'POST', ':path': '/?chat-modality=image', accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8',
      'next-action': fake.actionIds.generateUploadUrl, cookie,
    }, JSON.stringify(['photo.png', 'image/png']));
    const row = action.text.split('\n').find((line) => line.startsWith('1:')) ?? '1:{}';
    const { uploadUrl } = (JSON.parse(row.slice(2)) as { data: { uploadUrl: string } }).data;
    expect(uploadUrl.startsWith(`${fake.url}/upload/`)).toBe(true);
    const path = uploadUrl.slice(fake.url.length);
    const put = await h2Request(session, { ':method': 'PUT', ':path': path, 'content-type': 'image/png' }, Buffer.from('png bytes'));
    expect(put.headers[':status']).toBe(200);
    const preflight = await h2Request(session, { ':method': 'OPTIONS', ':path': path, origin: fake.url });
    expect(preflight.headers[':status']).toBe(204);
  });

  it('shows the Cloudflare challenge and sets cf_clearance over h2', async () => {
    fake.setOptions({ challengeOnStart: true });
    const page = await h2Request(session, { ':path': '/text/direct' });
    expect([page.headers[':status'], page.headers['cf-mitigated']]).toEqual([403, 'challenge']);
    expect(page.text).toContain('Just a moment');
  });
});

describe('HTTP/1.1 over TLS for clients without h2 (fetch)', () => {
  const defaults = getCACertificates('default');
  beforeAll(() => setDefaultCACertificates([...defaults, shared.fake.certificate ?? '']));
  afterAll(() => setDefaultCACertificates(defaults));

  it('streams a create-evaluation to fetch, which trusts the certificate', async () => {
    const response = await send(fake, CREATE, createBody(fake, 'over http/1.1'), cookie);
    expect(response.status).toBe(200);
    expect(textOf(parseRecords(await response.text()))).toMatch(/^Echo #1: over http\/1\.1/);
    expect(fake.requests.at(-1)).toMatchObject({ httpVersion: '1.1', status: 200, finished: true });
  });

  it('drop: the socket is destroyed mid-body and fetch fails while reading', async () => {
    const response = await send(fake, CREATE, createBody(fake, 'dropped'), cookie, { headers: { 'x-fake-arena-inject': 'drop' } });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});

describe('close()', () => {
  it('ends open HTTP/2 sessions and their streams at once', async () => {
    const own = await startFakeArena({ tls: true, pacing: { chunkDelayMs: 200 } });
    const ownSession = await openSession(own);
    const closed = new Promise<void>((resolve) => ownSession.once('close', () => resolve()));
    const body = JSON.stringify(createBody(own, 'never finishes'));
    const pending = h2Request(ownSession, { ':method': 'POST', ':path': CREATE, cookie: own.createIdentity().cookie }, body);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await own.close();
    await closed;
    expect(performance.now() - started).toBeLessThan(1000);
    const cut = await pending;
    expect(cut.rstCode).not.toBe(constants.NGHTTP2_NO_ERROR);
    expect(cut.text).toMatch(/^a0:/);
    expect(cut.text).not.toMatch(/\nad:/);
  });

  it('serves a given PEM pair', async () => {
    const pair = await generateSelfSignedCertificate();
    const own = await startFakeArena({ tls: pair });
    try {
      expect(own.certificate).toBe(pair.cert);
      const ownSession = await openSession(own);
      const page = await h2Request(ownSession, { ':path': '/nextjs-api/model-catalog' });
      expect(page.headers[':status']).toBe(200);
      await closeSession(ownSession);
    } finally {
      await own.close();
    }
  });
});
