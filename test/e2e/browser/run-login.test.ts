import { afterEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { createBrowserHost, runLogin } from '../../../src/workers/browser/index.js';
import type { WorkerRegistry } from '../../../src/workers/types.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { agentBundle, CHROMIUM, chromiumProcesses, chromiumSuite, forwardingRegistry, RecordingRegistry, SECRET, startWorkerEndpoint } from './support.js';

/* `lmarena-bridge login` against the fake: the test plays the user on the fake's /login form. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(CHROMIUM === undefined)(chromiumSuite('runLogin'), () => {
  it('signs in through /login into the bridge profile; the host then runs signed in', async () => {
    const fake = await startFakeArena({ requireLoginForDirect: true });
    cleanups.push(() => fake.close());
    const profileDir = await tempDirForTest('lmarena-bridge-e2e-');
    const lines: string[] = [];
    const result = await runLogin({
      executablePath: CHROMIUM!,
      profileDir,
      arenaUrl: fake.url,
      logger: createSilentLogger(),
      headless: true,
      timeoutMs: 20_000,
      pollIntervalMs: 100,
      onProgress: (line) => lines.push(line),
      onPage: async (page) => {
        await page.fill('#email', 'tester@example.com');
        await page.fill('#password', 'secret');
        await page.click('#sign-in');
      },
    });
    expect(result).toEqual({ status: 'signed-in', email: 'tester@example.com' });
    expect(lines[0]).toMatch(/^Sign in to http:\/\/127\.0\.0\.1:\d+ in the browser window/);
    expect(chromiumProcesses(null, profileDir)).toEqual([]);

    const registry = new RecordingRegistry();
    let wrapped: WorkerRegistry = registry;
    const endpoint = await startWorkerEndpoint(forwardingRegistry(() => wrapped), fake.url);
    cleanups.push(() => endpoint.close());
    const host = createBrowserHost({
      executablePath: CHROMIUM!, profileDir, arenaUrl: fake.url, bridgeWsUrl: endpoint.wsUrl, pairingSecret: SECRET,
      agentVersion: 'e2e', agentBundle: await agentBundle(), logger: createSilentLogger(), lifecycle: { pollIntervalMs: 100 },
    });
    wrapped = host.wrapRegistry(registry);
    cleanups.push(() => host.stop());
    await host.start();
    expect(host.snapshot().pages[0]).toMatchObject({ state: 'ready', login: 'signed-in', loginText: 'signed-in as tester@example.com' });
    expect(registry.connected[0]?.page).toMatchObject({ auth: 'signed-in', email: 'tester@example.com' });
  });

  it('reports a closed window', async () => {
    const fake = await startFakeArena();
    cleanups.push(() => fake.close());
    const profileDir = await tempDirForTest('lmarena-bridge-e2e-');
    const result = await runLogin({
      executablePath: CHROMIUM!, profileDir, arenaUrl: fake.url, logger: createSilentLogger(), headless: true,
      timeoutMs: 20_000, pollIntervalMs: 100, onPage: (page) => page.close(),
    });
    expect(result).toEqual({ status: 'closed' });
  });
});
