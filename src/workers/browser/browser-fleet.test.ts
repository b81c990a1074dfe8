import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../observability/logger.js';
import { FakeWorker } from '../test-support/fake-worker.js';
import type { WorkerConnection, WorkerRegistry } from '../types.js';
import type { BrowserHost, BrowserHostOptions, BrowserHostSnapshot } from './browser-host-options.js';
import { createBrowserFleet } from './browser-fleet.js';

/** A host that records what it was built with and told, owning the workers whose id starts with its token. */
class FakeHost implements BrowserHost {
  readonly calls: string[] = [];
  state: BrowserHostSnapshot['state'] = 'stopped';
  failStart: Error | undefined;
  readonly options: BrowserHostOptions;
  constructor(options: BrowserHostOptions) {
    this.options = options;
  }
  get pageTokens(): string[] {
    return Array.from({ length: this.options.pages ?? 1 }, (_, index) => `${this.options.profileDir}#${index}`);
  }
  get pid(): number | null {
    return this.state === 'running' ? 100 + (this.options.pages ?? 1) : null;
  }
  async start(): Promise<void> {
    this.options.onProgress?.('Launching Chromium');
    if (this.failStart) {
      this.state = 'failed';
      throw this.failStart;
    }
    this.state = 'running';
  }
  async stop(options?: { graceMs?: number }): Promise<void> {
    this.calls.push(`stop ${options?.graceMs}`);
    this.state = 'stopped';
  }
  wrapRegistry(inner: WorkerRegistry): WorkerRegistry {
    return { ...inner, add: (worker) => (inner.add(worker), this.owns(worker) && this.calls.push(`joined ${worker.id}`)) };
  }
  owns(worker: WorkerConnection): boolean {
    return worker.id.startsWith(this.options.profileDir ?? '?');
  }
  reportTrouble(pageToken: string, kind: string): void {
    this.calls.push(`trouble ${pageToken} ${kind}`);
  }
  reportSuccess(pageToken: string): void {
    this.calls.push(`success ${pageToken}`);
  }
  observeOutcome(worker: WorkerConnection, outcome: { kind: string }): void {
    if (this.owns(worker)) this.calls.push(`outcome ${outcome.kind}`);
  }
  snapshot(): BrowserHostSnapshot {
    const pages = this.pageTokens.map((_, index) => ({ index, state: 'ready' as const, login: 'anonymous' as const, loginText: 'anonymous', email: null, workerId: null, activeJobs: 0, url: null, reloads: 0, restarts: 0, lastProblem: null, verification: false }));
    return { state: this.state, headless: true, incognito: false, pid: this.pid, launches: this.state === 'stopped' ? 0 : 1, lastProblem: this.failStart?.message ?? null, pages };
  }
}

function setup(failing: string[] = []): { fleet: BrowserHost; hosts: FakeHost[]; progress: string[] } {
  const hosts: FakeHost[] = [];
  const progress: string[] = [];
  const fleet = createBrowserFleet({
    profiles: [{ name: 'alice', pages: 1 }, { name: 'bob', pages: 2 }],
    dataDir: '/data',
    executablePath: '/usr/bin/chromium',
    arenaUrl: 'http://arena.test',
    bridgeWsUrl: 'ws://127.0.0.1:1/ws/worker',
    pairingSecret: 'secret',
    agentVersion: '0.0.0',
    logger: createSilentLogger(),
    onProgress: (line) => progress.push(line),
    createHost: (options) => {
      const host = new FakeHost(options);
      if (failing.some((name) => options.profileDir?.endsWith(name))) host.failStart = new Error('cannot launch');
      hosts.push(host);
      return host;
    },
  });
  return { fleet, hosts, progress };
}

const worker = (id: string) => new FakeWorker(id);

describe('createBrowserFleet', () => {
  it('builds one host per profile on its own directory and pages, never incognito, naming the profile in progress', async () => {
    const { fleet, hosts, progress } = setup();
    expect(hosts.map((host) => [host.options.profileDir, host.options.pages, host.options.incognito])).toEqual([
      [join('/data', 'browser-profiles', 'alice'), 1, false],
      [join('/data', 'browser-profiles', 'bob'), 2, false],
    ]);
    await fleet.start();
    expect(progress).toEqual(['Profile alice: Launching Chromium', 'Profile bob: Launching Chromium']);
    expect(fleet.pageTokens).toHaveLength(3);
    await fleet.stop({ graceMs: 5 });
    expect(hosts.map((host) => host.calls)).toEqual([['stop 5'], ['stop 5']]);
  });

  it('lets every host see its own agents joining the one pool, and hands outcomes to every host', () => {
    const { fleet, hosts } = setup();
    const joined: string[] = [];
    const pool = { add: (added: WorkerConnection) => joined.push(added.id) } as unknown as WorkerRegistry;
    const registry = fleet.wrapRegistry(pool);
    const bobs = worker(join('/data', 'browser-profiles', 'bob', 'page'));
    registry.add(bobs);
    registry.add(worker('userscript-tab'));
    expect(joined).toEqual([bobs.id, 'userscript-tab']);
    expect(hosts[0]?.calls).toEqual([]);
    expect(hosts[1]?.calls).toEqual([`joined ${bobs.id}`]);
    expect(fleet.owns(bobs)).toBe(true);
    expect(fleet.owns(worker('userscript-tab'))).toBe(false);

    fleet.observeOutcome(bobs, { kind: 'recaptcha-rejected' });
    fleet.reportTrouble('token-1', 'challenge');
    expect(hosts[1]?.calls.slice(1)).toEqual(['outcome recaptcha-rejected', 'trouble token-1 challenge']);
    expect(hosts[0]?.calls).toEqual(['trouble token-1 challenge']);
  });

  it('lists each profile with its state in the snapshot, and its pages with the profile name', async () => {
    const { fleet } = setup(['bob']);
    await fleet.start();
    const snapshot = fleet.snapshot();
    expect(snapshot.state).toBe('running');
    expect(snapshot.profiles).toEqual([
      { name: 'alice', state: 'running', pid: 101, launches: 1, lastProblem: null, pages: 1 },
      { name: 'bob', state: 'failed', pid: null, launches: 1, lastProblem: 'cannot launch', pages: 2 },
    ]);
    expect(snapshot.pages.map((page) => `${page.profile}#${page.index}`)).toEqual(['alice#0', 'bob#0', 'bob#1']);
    expect(snapshot.lastProblem).toBe('profile bob: cannot launch');
    expect(fleet.pid).toBe(101);
  });

  it('starts when some profile can, saying which one failed; rejects only when none can', async () => {
    const partial = setup(['bob']);
    await expect(partial.fleet.start()).resolves.toBeUndefined();
    expect(partial.progress).toContain('Profile bob: Chromium failed to start: cannot launch');

    const none = setup(['alice', 'bob']);
    await expect(none.fleet.start()).rejects.toThrow('profile alice: cannot launch; profile bob: cannot launch');
    expect(none.fleet.snapshot().state).toBe('failed');
  });
});
