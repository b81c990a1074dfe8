import { afterEach, describe, expect, it } from 'vitest';
import { startFakeArena, type FakeArena } from '../../../src/fake-arena/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { createBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../../src/workers/browser/index.js';
import type { WorkerRegistry } from '../../../src/workers/types.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { agentBundle, CHROMIUM, chromiumProcesses, chromiumSuite, forwardingRegistry, RecordingRegistry, SECRET, startWorkerEndpoint, waitFor } from './support.js';

/* The Chromium host against the fake LMArena alone: the real worker endpoint, no bridge. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(fakeOptions: Parameters<typeof startFakeArena>[0] = {}, hostOptions: Partial<BrowserHostOptions> = {}) {
  const fake: FakeArena = await startFakeArena(fakeOptions);
  cleanups.push(() => fake.close());
  const registry = new RecordingRegistry();
  const profileDir = await tempDirForTest('lmarena-bridge-e2e-');
  const steps: string[] = [];
  let wrapped: WorkerRegistry = registry;
  const endpoint = await startWorkerEndpoint(forwardingRegistry(() => wrapped), fake.url);
  cleanups.push(() => endpoint.close());
  const host: BrowserHost = createBrowserHost({
    executablePath: CHROMIUM ?? '',
    profileDir,
    arenaUrl: fake.url,
    bridgeWsUrl: endpoint.wsUrl,
    pairingSecret: SECRET,
    agentVersion: 'e2e',
    agentBundle: await agentBundle(),
    logger: createSilentLogger(),
    onProgress: (step) => steps.push(step),
    lifecycle: { pollIntervalMs: 100, relaunchInitialDelayMs: 100, readyTimeoutMs: 20_000 },
    ...hostOptions,
  });
  wrapped = host.wrapRegistry(registry);
  cleanups.push(() => host.stop());
  return { fake, registry, profileDir, steps, host };
}

describe.skipIf(CHROMIUM === undefined)(chromiumSuite('browser host against the fake LMArena'), () => {
  it('boots through a Cloudflare challenge that clears, reports anonymous, and leaves no process behind', async () => {
    const { host, registry, steps, profileDir } = await setUp({ challengeOnStart: true, challengeClearDelayMs: 2500 });
    await host.start();
    expect(steps[0]).toMatch(/^Launching Chromium \(.*headless, profile /);
    expect(steps).toContain('Page 1: waiting for the Cloudflare challenge');
    expect(steps.at(-1)).toBe('Page 1: ready (anonymous)');
    const snapshot = host.snapshot();
    expect(snapshot).toMatchObject({ state: 'running', launches: 1, incognito: false });
    expect(snapshot.pages).toEqual([expect.objectContaining({ state: 'ready', login: 'anonymous', loginText: 'anonymous', restarts: 0 })]);
    const worker = registry.connected[0];
    expect(worker?.kind).toBe('browser');
    expect(worker?.page).toMatchObject({ challenge: false });
    expect(host.owns(worker!)).toBe(true);
    expect(snapshot.pages[0]?.workerId).toBe(worker?.id);

    const pid = host.pid;
    expect(pid).toBeGreaterThan(0);
    expect(chromiumProcesses(pid, profileDir).length).toBeGreaterThan(1);
    await host.stop();
    expect(chromiumProcesses(pid, profileDir)).toEqual([]);
    expect(host.snapshot().state).toBe('stopped');
  });

  it('clicks the checkbox of a Turnstile challenge that waits for a click, and boots through it', async () => {
    const { host, steps } = await setUp({ challengeOnStart: true, challengeInteractive: true, challengeClearDelayMs: 100 });
    await host.start();
    expect(steps).toContain('Page 1: waiting for the Cloudflare challenge');
    expect(steps).toContain('Page 1: clicked the Turnstile checkbox');
    expect(steps.at(-1)).toBe('Page 1: ready (anonymous)');
    expect(host.snapshot().pages[0]).toMatchObject({ state: 'ready', reloads: 0, restarts: 0 });
  });

  it('relaunches a killed Chromium and its agent reconnects', async () => {
    const { host, registry } = await setUp();
    await host.start();
    const firstPid = host.pid!;
    const first = registry.connected[0]!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => registry.removed.includes(first), 10_000, 'the killed page to leave');
    await waitFor(() => registry.connected.length === 1 && host.snapshot().pages[0]?.state === 'ready', 20_000, 'the relaunched page');
    const snapshot = host.snapshot();
    expect(snapshot).toMatchObject({ state: 'running', launches: 2, lastProblem: 'Chromium exited unexpectedly' });
    expect(host.pid).not.toBe(firstPid);
    expect(chromiumProcesses(firstPid, '\0no-marker\0')).toEqual([]);
  });

  it('climbs the recovery ladder: reload, page restart, browser relaunch', async () => {
    const { host, registry } = await setUp({}, {
      lifecycle: { pollIntervalMs: 100, relaunchInitialDelayMs: 100, recaptchaFailuresBeforeReload: 2, reloadsBeforePageRestart: 1, pageRestartsBeforeBrowserRestart: 1 },
    });
    await host.start();
    const token = host.pageTokens[0]!;
    const ready = () => host.snapshot().pages[0]?.state === 'ready' && registry.connected.length === 1;

    const first = registry.connected[0];
    host.reportTrouble(token, 'recaptcha-rejected');
    expect(host.snapshot().pages[0]?.reloads).toBe(0);
    expect(registry.recoveries).toEqual([]);
    host.reportTrouble(token, 'recaptcha-rejected');
    await waitFor(() => host.snapshot().pages[0]?.reloads === 1 && registry.added.length === 2 && ready(), 15_000, 'the reload');
    // The pool was told to give the page no new job before the reload, and the old connection was never released back to it.
    expect(registry.recoveries).toEqual([{ worker: first, recovering: true }]);

    host.reportTrouble(token, 'auth-expired');
    await waitFor(() => host.snapshot().pages[0]?.restarts === 1 && registry.added.length === 3 && ready(), 15_000, 'the page restart');
    expect(host.snapshot().launches).toBe(1);

    host.reportTrouble(token, 'auth-expired');
    await waitFor(() => host.snapshot().pages[0]?.reloads === 2 && registry.added.length === 4 && ready(), 15_000, 'the second reload');
    host.reportTrouble(token, 'auth-expired');
    await waitFor(() => host.snapshot().launches === 2 && registry.added.length === 5 && ready(), 20_000, 'the browser relaunch');
  });

  it('reports the login gate of an anonymous page', async () => {
    const { host } = await setUp();
    await host.start();
    host.reportTrouble(host.pageTokens[0]!, 'login-gate');
    expect(host.snapshot().pages[0]).toMatchObject({ login: 'login-required', loginText: 'login required for direct mode', reloads: 0 });
  });
});
