/*
 * `lmarena-bridge serve` with two `browser_profiles` against the fake LMArena: one Chromium per
 * profile, each on its own directory in the data dir, both pages in the one pool, progress lines
 * naming the profile, and nothing left running after Ctrl+C.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { recordingIo, waitForText } from '../../../src/cli/test-support/recording-io.js';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import { profileDirFor, type BrowserHostSnapshot } from '../../../src/workers/browser/index.js';
import { ensureAgentBundle } from '../../support/chromium.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { CHROMIUM, chromiumProcesses, chromiumSuite } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Health {
  workers: { count: number; items: { kind: string; email: string | null }[] };
  browser: BrowserHostSnapshot;
}

describe.skipIf(CHROMIUM === undefined)(chromiumSuite('serve with browser_profiles'), () => {
  it('launches one Chromium per profile whose pages join the one pool, and stops them all', async () => {
    await ensureAgentBundle();
    const fake = await startFakeArena();
    cleanups.push(() => fake.close());
    const dir = await tempDirForTest('lmarena-bridge-profiles-');
    const dataDir = join(dir, 'state');
    await writeFile(join(dir, 'config.jsonc'), JSON.stringify({
      host: '127.0.0.1', port: 0, data_dir: dataDir, arena_url: fake.url, browser_executable_path: CHROMIUM,
      browser_profiles: ['alice', { name: 'bob', pages: 1 }], browser_incognito: true, metrics_enabled: false,
    }));
    const io = recordingIo({ cwd: dir, homeDir: dir, env: { BRIDGE_LOG_LEVEL: 'off' } });
    const exit = runCli(['serve'], io);
    cleanups.push(async () => {
      io.signals.emit('SIGINT', 'SIGINT');
      await exit;
    });
    await waitForText(io.out, 'Press Ctrl+C to stop.');
    const base = /OpenAI base URL: (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(io.out())?.[1];
    expect(io.out()).toContain('warning: browser_incognito is ignored because browser_profiles is set');
    await waitForText(io.out, 'Profile alice: Page 1: ready (anonymous)', 25_000);
    await waitForText(io.out, 'Profile bob: Page 1: ready (anonymous)', 25_000);
    expect(io.out()).toContain(`Profile alice: Launching Chromium (${CHROMIUM}, headless, profile ${profileDirFor(dataDir, 'alice')})`);

    const health = (await (await fetch(`${base}/health`)).json()) as Health;
    expect(health.workers.items.filter((worker) => worker.kind === 'browser')).toHaveLength(2);
    const { profiles, pages, incognito } = health.browser;
    expect(incognito).toBe(false);
    expect(profiles?.map(({ name, state, pages: count }) => ({ name, state, count }))).toEqual([
      { name: 'alice', state: 'running', count: 1 },
      { name: 'bob', state: 'running', count: 1 },
    ]);
    expect(pages.map((page) => `${page.profile}:${page.state}`)).toEqual(['alice:ready', 'bob:ready']);
    const pids = profiles?.map((profile) => profile.pid) ?? [];
    expect(new Set(pids).size).toBe(2);
    for (const name of ['alice', 'bob']) expect(existsSync(profileDirFor(dataDir, name))).toBe(true);
    expect(existsSync(profileDirFor(dataDir))).toBe(false);

    io.signals.emit('SIGINT', 'SIGINT');
    expect(await exit).toBe(0);
    for (const [index, name] of ['alice', 'bob'].entries()) {
      expect(chromiumProcesses(pids[index] ?? null, profileDirFor(dataDir, name))).toEqual([]);
    }
  });
});
