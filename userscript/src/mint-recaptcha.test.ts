import { afterEach, describe, expect, it } from 'vitest';
import type { RecaptchaJob } from '../../src/shared/worker-protocol.js';
import type { RecaptchaApi, RecaptchaClient, RecaptchaRenderParameters } from './agent-environment.js';
import type { BridgeConnection } from './test-support/fake-bridge.js';
import { connectAgent } from './test-support/connected-agent.js';
import type { FakePage } from './test-support/node-environment.js';
import { startUpstream, type Upstream } from './test-support/upstream-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface FakeRecaptcha {
  client: RecaptchaClient;
  executed: { key: string | number; action?: string }[];
  rendered: { container: unknown; parameters: RecaptchaRenderParameters }[];
}

/** A grecaptcha that mints numbered tokens like the real one: v3 by promise, v2 through the render callback. */
function fakeRecaptcha(execute?: RecaptchaClient['execute']): FakeRecaptcha {
  const fake: FakeRecaptcha = { client: {}, executed: [], rendered: [] };
  let minted = 0;
  fake.client = {
    ready: (callback) => void setTimeout(callback, 5),
    execute:
      execute ??
      ((key, options) => {
        fake.executed.push(options ? { key, action: options.action } : { key });
        minted += 1;
        if (typeof key === 'number') {
          const widget = fake.rendered[key];
          setTimeout(() => widget?.parameters.callback(`v2-token-${minted}`), 5);
          return undefined;
        }
        return Promise.resolve(`v3-token-${minted}`);
      }),
    render: (container, parameters) => fake.rendered.push({ container, parameters }) - 1,
  };
  return fake;
}

async function setup(onLoadRecaptcha?: (page: FakePage) => void): Promise<{ connection: BridgeConnection; upstream: Upstream; page: FakePage }> {
  const upstream = await startUpstream((_request, response) => response.end('ok'));
  cleanups.push(() => upstream.close());
  const { connection, page } = await connectAgent({ origin: upstream.origin, cleanups, ...(onLoadRecaptcha ? { onLoadRecaptcha } : {}) });
  return { connection, upstream, page };
}

const v3: RecaptchaJob = { action: 'chat_submit', version: 'v3', field: 'recaptchaV3Token' };

function startJob(connection: BridgeConnection, jobId: string, recaptcha: RecaptchaJob): void {
  connection.send({
    type: 'job-start',
    jobId,
    window: 8,
    request: { method: 'POST', url: '/nextjs-api/stream/create-evaluation', headers: {}, body: { kind: 'json', value: { id: jobId } }, recaptcha },
  });
}

function sentBodies(upstream: Upstream): unknown[] {
  return upstream.requests.map((request) => JSON.parse(request.body.toString()) as unknown);
}

describe('mintRecaptchaToken', () => {
  it('mints a fresh v3 token per job with the page\'s current site key and the job\'s action', async () => {
    const { connection, upstream, page } = await setup();
    const fake = fakeRecaptcha();
    page.recaptcha = { enterprise: fake.client };
    startJob(connection, 'a', v3);
    await connection.take('job-end', (message) => message.jobId === 'a');
    page.state = { ...page.state, siteKey: 'rotated-key' };
    startJob(connection, 'b', { ...v3, action: 'sign_up' });
    await connection.take('job-end', (message) => message.jobId === 'b');
    expect(sentBodies(upstream)).toEqual([
      { id: 'a', recaptchaV3Token: 'v3-token-1' },
      { id: 'b', recaptchaV3Token: 'v3-token-2' },
    ]);
    expect(fake.executed).toEqual([
      { key: 'site-key-v3', action: 'chat_submit' },
      { key: 'rotated-key', action: 'sign_up' },
    ]);
  });

  it('falls back to the plain grecaptcha API when enterprise is not loaded', async () => {
    const { connection, upstream, page } = await setup();
    const fake = fakeRecaptcha();
    page.recaptcha = fake.client as RecaptchaApi;
    startJob(connection, 'p', v3);
    await connection.take('job-end');
    expect(sentBodies(upstream)).toEqual([{ id: 'p', recaptchaV3Token: 'v3-token-1' }]);
  });

  it('renders an invisible v2 widget, takes the callback token and removes the container', async () => {
    const { connection, upstream, page } = await setup();
    const fake = fakeRecaptcha();
    page.recaptcha = { enterprise: fake.client };
    startJob(connection, 'v2', { action: 'chat_submit', version: 'v2', field: 'recaptchaV2Token', v2SiteKey: 'v2-key' });
    await connection.take('job-end');
    expect(sentBodies(upstream)).toEqual([{ id: 'v2', recaptchaV2Token: 'v2-token-1' }]);
    expect(fake.rendered[0]?.parameters).toMatchObject({ sitekey: 'v2-key', size: 'invisible' });
    expect(fake.rendered[0]?.container).toBe(page.containers[0]?.element);
    expect(fake.executed).toEqual([{ key: 0 }]);
    expect(page.containers).toEqual([{ element: { id: 0 }, removed: true }]);
  });

  it('injects the script and waits when grecaptcha loads late', async () => {
    const fake = fakeRecaptcha();
    const { connection, upstream, page } = await setup((loading) => {
      setTimeout(() => void (loading.recaptcha = { enterprise: fake.client }), 50);
    });
    startJob(connection, 'late', v3);
    await connection.take('job-end');
    expect(page.loadRecaptchaCalls).toBe(1);
    expect(sentBodies(upstream)).toEqual([{ id: 'late', recaptchaV3Token: 'v3-token-1' }]);
  });

  it('fails with recaptcha-unavailable, recaptcha-failed or bad-request and never calls upstream', async () => {
    const { connection, upstream, page } = await setup();
    startJob(connection, 'none', v3);
    expect(await connection.take('job-error', (message) => message.jobId === 'none')).toMatchObject({ reason: 'recaptcha-unavailable' });
    expect(page.loadRecaptchaCalls).toBe(1);

    page.recaptcha = { enterprise: fakeRecaptcha(() => Promise.reject(new Error('Invalid site key'))).client };
    startJob(connection, 'throws', v3);
    const failed = await connection.take('job-error', (message) => message.jobId === 'throws');
    expect(failed).toMatchObject({ reason: 'recaptcha-failed' });
    expect(failed.message).toContain('Invalid site key');

    startJob(connection, 'nokey', { action: 'chat_submit', version: 'v2', field: 'recaptchaV2Token' });
    expect(await connection.take('job-error', (message) => message.jobId === 'nokey')).toMatchObject({ reason: 'bad-request' });
    expect(upstream.requests).toEqual([]);
  });

  it('stops minting when the job is cancelled', async () => {
    const { connection, upstream, page } = await setup();
    page.recaptcha = { enterprise: fakeRecaptcha(() => new Promise<never>(() => undefined)).client };
    startJob(connection, 'hang', v3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    connection.send({ type: 'job-cancel', jobId: 'hang', reason: 'deadline' });
    expect(await connection.take('job-error')).toMatchObject({ jobId: 'hang', reason: 'aborted' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(connection.messages.filter((message) => message.type === 'job-error')).toHaveLength(1);
    expect(upstream.requests).toEqual([]);
  });
});
