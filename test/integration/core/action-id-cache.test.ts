import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionIdCache } from '../../../src/core/attachments/action-id-cache.js';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import { HttpWorker } from './http-worker.js';

/* Server-action id discovery (§8.3) through workers that fetch from the fake LMArena. */

type FakeArena = Awaited<ReturnType<typeof startFakeArena>>;
let fake: FakeArena;

beforeAll(async () => {
  fake = await startFakeArena();
});
afterAll(async () => {
  await fake.close();
});

const signal = (): AbortSignal => new AbortController().signal;

describe('action id cache', () => {
  it('discovers once for concurrent callers and serves later ones from the cache', async () => {
    const cache = createActionIdCache();
    const worker = await HttpWorker.connect('worker-a', fake.url, fake);
    const ids = await Promise.all([cache.get('generateUploadUrl', worker, signal()), cache.get('getSignedUrl', worker, signal())]);
    expect(ids).toEqual([fake.actionIds.generateUploadUrl, fake.actionIds.getSignedUrl]);
    const pageLoads = worker.jobs.filter((job) => job.request.url === '/').length;
    expect(pageLoads).toBe(1);
    expect(await cache.get('generateUploadUrl', worker, signal())).toBe(fake.actionIds.generateUploadUrl);
    expect(worker.jobs.filter((job) => job.request.url === '/').length).toBe(pageLoads);
  });

  it('a caller that joined a discovery on a page that was lost discovers again through its own worker', async () => {
    const cache = createActionIdCache();
    const [lost, healthy] = await Promise.all([HttpWorker.connect('lost', fake.url, fake), HttpWorker.connect('healthy', fake.url, fake)]);
    lost.loseNextJobs = 1;
    const [first, joined] = await Promise.allSettled([cache.get('generateUploadUrl', lost, signal()), cache.get('generateUploadUrl', healthy, signal())]);
    expect(first.status).toBe('rejected');
    expect(joined).toEqual({ status: 'fulfilled', value: fake.actionIds.generateUploadUrl });
    expect(healthy.jobs.some((job) => job.request.url === '/')).toBe(true);
  });

  it('a caller whose own page failed the discovery gets the failure', async () => {
    const cache = createActionIdCache();
    const worker = await HttpWorker.connect('lost', fake.url, fake);
    worker.loseNextJobs = 1;
    await expect(cache.get('generateUploadUrl', worker, signal())).rejects.toThrow();
    expect(worker.jobs.filter((job) => job.request.url === '/').length).toBe(1);
    expect(await cache.get('generateUploadUrl', worker, signal())).toBe(fake.actionIds.generateUploadUrl);
  });
});
