/*
 * The automated Chromium runs the same agent as the userscript, so its worker reports the site's
 * Security Verification modal too; the host shows it in its snapshot and says so on the terminal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import { createSilentLogger } from '../../../src/observability/logger.js';
import { createBrowserHost } from '../../../src/workers/browser/index.js';
import type { WorkerRegistry } from '../../../src/workers/types.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { agentBundle, CHROMIUM, chromiumSuite, forwardingRegistry, RecordingRegistry, SECRET, startWorkerEndpoint, waitFor } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(CHROMIUM === undefined)(chromiumSuite('browser host and the Security Verification modal'), () => {
  it('reports the modal of a flagged account in the worker\'s page state and the host snapshot, and does not reload it away', async () => {
    const fake = await startFakeArena();
    cleanups.push(() => fake.close());
    const registry = new RecordingRegistry();
    const profileDir = await tempDirForTest('lmarena-bridge-e2e-');
    let wrapped: WorkerRegistry = registry;
    const endpoint = await startWorkerEndpoint(forwardingRegistry(() => wrapped), fake.url);
    cleanups.push(() => endpoint.close());
    const steps: string[] = [];
    const host = createBrowserHost({
      executablePath: CHROMIUM ?? '', profileDir, arenaUrl: fake.url, bridgeWsUrl: endpoint.wsUrl, pairingSecret: SECRET,
      agentVersion: 'e2e', agentBundle: await agentBundle(), logger: createSilentLogger(), onProgress: (step) => steps.push(step),
      lifecycle: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
    wrapped = host.wrapRegistry(registry);
    cleanups.push(() => host.stop());
    await host.start();
    const first = registry.connected[0]!;
    expect(first.page.verification).toBe(false);
    expect(host.snapshot().pages[0]?.verification).toBe(false);

    fake.flagAccount(first.page.identity ?? '', 600);
    host.reportTrouble(host.pageTokens[0]!, 'auth-expired');
    await waitFor(() => registry.connected.some((worker) => worker !== first && worker.page.verification === true), 20_000, 'the reloaded page to report the modal');
    expect(host.snapshot().pages[0]).toMatchObject({ verification: true, reloads: 1 });
    expect(steps).toContain('Page 1: the site shows its Security Verification check; pass it by hand in a visible window (browser_headful, --headful)');

    // Rejections while the modal shows are the account flag: reloading would not help, so the page stays.
    host.reportTrouble(host.pageTokens[0]!, 'recaptcha-rejected');
    host.reportTrouble(host.pageTokens[0]!, 'recaptcha-rejected');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(host.snapshot().pages[0]).toMatchObject({ state: 'ready', verification: true, reloads: 1 });
  });
});
