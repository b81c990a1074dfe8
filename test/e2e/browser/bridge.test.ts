/*
 * The full path with real Chromium: official openai client → bridge (startBridge) → our Chromium
 * page running the injected agent → fake LMArena. Expects src/server.ts to launch the browser
 * workers from config.browser and expose the host as `RunningBridge.browser`.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, type BridgeConfig } from '../../../src/config/index.js';
import { startFakeArena, type FakeArena, type FakeArenaOptions } from '../../../src/fake-arena/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { startBridge, type RunningBridge } from '../../../src/server.js';
import { profileDirFor, runLogin, type BrowserHost } from '../../../src/workers/browser/index.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { CHROMIUM, chromiumProcesses, chromiumSuite, waitFor } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Running {
  bridge: RunningBridge;
  host: BrowserHost;
  client: OpenAI;
  dataDir: string;
}

function configFor(dataDir: string, arenaUrl: string, pages: number): BridgeConfig {
  const base = defaultConfig({ dataDir });
  return {
    ...base,
    server: { ...base.server, port: 0 },
    arena: { ...base.arena, url: arenaUrl },
    browser: { ...base.browser, workers: pages, executablePath: CHROMIUM, headful: false, incognito: false },
    workers: { ...base.workers, queueTimeoutSeconds: 15, pingIntervalSeconds: 2 },
    chat: { ...base.chat, firstTokenTimeoutSeconds: 20, streamResponseTimeoutSeconds: 10 },
    logging: { ...base.logging, level: 'off' },
  };
}

async function startFake(options: FakeArenaOptions = {}): Promise<FakeArena> {
  const fake = await startFakeArena(options);
  cleanups.push(() => fake.close());
  return fake;
}

/** Starts the bridge with `pages` Chromium workers and waits until every page is ready. */
async function startWithBrowser(fake: FakeArena, dataDir: string, pages: number): Promise<Running> {
  const bridge = await startBridge({ config: configFor(dataDir, fake.url, pages), logger: createSilentLogger() });
  cleanups.push(() => bridge.close());
  const host = (bridge as RunningBridge & { browser?: BrowserHost }).browser;
  if (host === undefined) throw new Error('src/server.ts did not start browser workers: RunningBridge.browser (the BrowserHost) is missing');
  await waitFor(() => host.snapshot().pages.every((page) => page.state === 'ready'), 30_000, 'every Chromium page to be ready');
  const client = new OpenAI({ baseURL: `${bridge.url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 30_000 });
  return { bridge, host, client, dataDir };
}

async function streamText(client: OpenAI, content: string): Promise<string> {
  const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content }] });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe.skipIf(CHROMIUM === undefined)(chromiumSuite('bridge with automated Chromium workers'), () => {
  it('three pages share concurrent load, and shutdown leaves no Chromium behind', async () => {
    const fake = await startFake({ pacing: { chunkDelayMs: 60 } });
    const { bridge, host, client, dataDir } = await startWithBrowser(fake, await tempDirForTest('lmarena-bridge-e2e-'), 3);
    const pid = host.pid;
    let busiest = 0;
    const sampler = setInterval(() => {
      busiest = Math.max(busiest, host.snapshot().pages.filter((page) => page.activeJobs > 0).length);
    }, 20);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => streamText(client, `load ${index}`))).finally(() => clearInterval(sampler));
    answers.forEach((answer, index) => expect(answer).toContain(`load ${index}`));
    expect(busiest).toBe(3);

    await bridge.close();
    expect(chromiumProcesses(pid, profileDirFor(dataDir))).toEqual([]);
  });

  it('re-mints a rejected reCAPTCHA token, and recovers from Chromium killed mid-stream', async () => {
    const fake = await startFake({ pacing: { chunkDelayMs: 150 } });
    const { host, client } = await startWithBrowser(fake, await tempDirForTest('lmarena-bridge-e2e-'), 1);

    const answer = await streamText(client, 'token please [[fake:recaptcha-reject-once]]');
    expect(answer).toContain('token please');
    const attempts = fake.requests.filter((entry) => entry.path.includes('create-evaluation'));
    expect(attempts.map((entry) => entry.status)).toEqual([403, 200]);
    const tokens = attempts.map((entry) => (entry.body as { recaptchaV3Token?: string }).recaptchaV3Token);
    expect(tokens[0]).not.toBe(tokens[1]);

    const firstPid = host.pid!;
    const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'doomed' }] });
    const consumed = (async () => {
      let killed = false;
      for await (const chunk of stream) {
        if (!killed && (chunk.choices[0]?.delta.content ?? '') !== '') {
          killed = true;
          process.kill(firstPid, 'SIGKILL');
        }
      }
    })();
    await expect(consumed).rejects.toThrow();
    await waitFor(() => host.pid !== null && host.pid !== firstPid && host.snapshot().pages[0]?.state === 'ready', 30_000, 'the relaunched page');
    expect(await streamText(client, 'after the crash')).toContain('after the crash');
  });

  it('gives a page waiting to reload no new request: the request waits for the reloaded page and is answered whole', async () => {
    const fake = await startFake({ pacing: { chunkDelayMs: 60 } });
    const { host, client } = await startWithBrowser(fake, await tempDirForTest('lmarena-bridge-e2e-'), 1);
    const reloads = () => host.snapshot().pages[0]?.reloads ?? -1;
    const running = streamText(client, 'running while the page waits to reload');
    await waitFor(() => (host.snapshot().pages[0]?.activeJobs ?? 0) > 0, 10_000, 'the first answer to start');
    host.reportTrouble(host.pageTokens[0]!, 'auth-expired');
    let reloadsAtFirstToken = -1;
    const later = (async () => {
      const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'sent while the page drains' }] });
      let text = '';
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content ?? '';
        if (delta !== '' && reloadsAtFirstToken < 0) reloadsAtFirstToken = reloads();
        text += delta;
      }
      return text;
    })();

    expect(await running).toContain('running while the page waits to reload');
    expect(await later).toContain('sent while the page drains');
    // Served by the reloaded page, not by the draining one (which would have postponed the reload, or been cut by it).
    expect(reloadsAtFirstToken).toBe(1);
  });

  it('reports the login gate with what to do, then works in direct mode after `login`', async () => {
    const fake = await startFake({ requireLoginForDirect: true });
    const dataDir = await tempDirForTest('lmarena-bridge-e2e-');
    const anonymous = await startWithBrowser(fake, dataDir, 1);
    expect(anonymous.host.snapshot().pages[0]?.loginText).toBe('anonymous');
    const refused = anonymous.client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'hi' }] });
    await expect(refused).rejects.toThrow(/lmarena-bridge login/);
    await waitFor(() => anonymous.host.snapshot().pages[0]?.loginText === 'login required for direct mode', 5000, 'the login-required state');
    await anonymous.bridge.close();

    const result = await runLogin({
      executablePath: CHROMIUM!, profileDir: profileDirFor(dataDir), arenaUrl: fake.url, logger: createSilentLogger(), headless: true,
      timeoutMs: 20_000, pollIntervalMs: 100,
      onPage: async (page) => {
        await page.fill('#email', 'direct@example.com');
        await page.fill('#password', 'pw');
        await page.click('#sign-in');
      },
    });
    expect(result).toEqual({ status: 'signed-in', email: 'direct@example.com' });

    const signedIn = await startWithBrowser(fake, dataDir, 1);
    expect(signedIn.host.snapshot().pages[0]?.loginText).toBe('signed-in as direct@example.com');
    const completion = await signedIn.client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'hello direct' }] });
    expect(completion.choices[0]?.message.content).toContain('hello direct');
  });
});
