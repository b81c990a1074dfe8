import type { BrowserProfileConfig } from '../../config/bridge-config.js';
import type { WorkerRegistry } from '../types.js';
import type { BrowserHost, BrowserHostOptions, BrowserHostSnapshot } from './browser-host-options.js';
import { createBrowserHost } from './browser-host.js';
import { profileDirFor } from './browser-profile.js';

/** Options of {@link createBrowserFleet}: those of one host, minus what each profile decides. */
export interface BrowserFleetOptions extends Omit<BrowserHostOptions, 'profileDir' | 'incognito' | 'pages'> {
  /** One Chromium per profile (`browser_profiles`), each with its own pages; at least one. */
  profiles: readonly BrowserProfileConfig[];
  /** The data directory: profile `<name>` lives in `<dataDir>/browser-profiles/<name>`. */
  dataDir: string;
  /** Builds one profile's host (tests pass fakes). @default createBrowserHost */
  createHost?: (options: BrowserHostOptions) => BrowserHost;
}

type HostState = BrowserHostSnapshot['state'];

/** One state for several browsers: the one they share, else the most telling of theirs. */
function combineStates(states: readonly HostState[]): HostState {
  if (states.length > 0 && states.every((state) => state === states[0])) return states[0] as HostState;
  for (const state of ['stopping', 'launching', 'relaunching', 'running'] as const) {
    if (states.includes(state)) return state;
  }
  return 'failed';
}

/**
 * Several Chromiums behind one {@link BrowserHost}: one per named profile (one arena account each),
 * all of their pages joining the one pool. Progress lines and log lines name the profile; each
 * browser is launched, recovered and relaunched on its own. `start()` rejects only when no profile's
 * Chromium could start.
 *
 * @example
 * const fleet = createBrowserFleet({ profiles: config.browser.profiles, dataDir: config.dataDir,
 *   executablePath, arenaUrl, bridgeWsUrl, pairingSecret, agentVersion, logger, onProgress: print });
 */
export function createBrowserFleet(options: BrowserFleetOptions): BrowserHost {
  const { profiles, dataDir, createHost = createBrowserHost, ...shared } = options;
  if (profiles.length === 0) throw new Error('createBrowserFleet needs at least one browser profile');
  const members = profiles.map((profile) => ({
    name: profile.name,
    host: createHost({
      ...shared,
      profileDir: profileDirFor(dataDir, profile.name),
      incognito: false,
      pages: profile.pages,
      logger: shared.logger.child({ profile: profile.name }),
      onProgress: (step) => shared.onProgress?.(`Profile ${profile.name}: ${step}`),
    }),
  }));
  const hosts = members.map((member) => member.host);

  return {
    async start() {
      const results = await Promise.allSettled(hosts.map((host) => host.start()));
      const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [{ name: members[index]?.name, error: result.reason as unknown }] : []));
      for (const { name, error } of failures) {
        const message = error instanceof Error ? error.message : String(error);
        shared.logger.error('A browser profile failed to start', { profile: name, error: message });
        if (failures.length < members.length) shared.onProgress?.(`Profile ${name}: Chromium failed to start: ${message}`);
      }
      if (failures.length === members.length) {
        throw new Error(failures.map(({ name, error }) => `profile ${name}: ${error instanceof Error ? error.message : String(error)}`).join('; '));
      }
    },
    async stop(stopOptions) {
      await Promise.all(hosts.map((host) => host.stop(stopOptions)));
    },
    get pageTokens() {
      return hosts.flatMap((host) => host.pageTokens);
    },
    get pid() {
      return hosts.find((host) => host.pid !== null)?.pid ?? null;
    },
    // Each host's wrapper forwards everything and only picks out its own pages, so they nest.
    wrapRegistry(inner: WorkerRegistry) {
      return hosts.reduce((registry, host) => host.wrapRegistry(registry), inner);
    },
    owns: (worker) => hosts.some((host) => host.owns(worker)),
    reportTrouble: (pageToken, kind) => hosts.forEach((host) => host.reportTrouble(pageToken, kind)),
    reportSuccess: (pageToken) => hosts.forEach((host) => host.reportSuccess(pageToken)),
    observeOutcome: (worker, outcome) => hosts.forEach((host) => host.observeOutcome(worker, outcome)),
    snapshot() {
      const each = members.map(({ name, host }) => ({ name, snapshot: host.snapshot() }));
      const problem = each.find(({ snapshot }) => snapshot.lastProblem !== null);
      return {
        state: combineStates(each.map(({ snapshot }) => snapshot.state)),
        headless: shared.headless ?? true,
        incognito: false,
        pid: each.find(({ snapshot }) => snapshot.pid !== null)?.snapshot.pid ?? null,
        launches: each.reduce((sum, { snapshot }) => sum + snapshot.launches, 0),
        lastProblem: problem === undefined ? null : `profile ${problem.name}: ${problem.snapshot.lastProblem}`,
        pages: each.flatMap(({ name, snapshot }) => snapshot.pages.map((page) => ({ ...page, profile: name }))),
        profiles: each.map(({ name, snapshot }) => ({
          name,
          state: snapshot.state,
          pid: snapshot.pid,
          launches: snapshot.launches,
          lastProblem: snapshot.lastProblem,
          pages: snapshot.pages.length,
        })),
      };
    },
  };
}
