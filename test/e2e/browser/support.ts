/* Shared pieces of the Chromium e2e tests: the agent bundle, a worker endpoint, process checks. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { createSilentLogger } from '../../../src/observability/logger.js';
import type { WorkerConnection, WorkerRegistry } from '../../../src/workers/types.js';
import { registerWorkerEndpoint } from '../../../src/workers/userscript/register-worker-endpoint.js';

/** The system Chromium the e2e tests drive; they are skipped when it is missing. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));
const NO_CHROMIUM_REASON = 'no system Chromium (/usr/bin/chromium) on this machine';

/** A suite title that says why the suite is skipped when Chromium is missing. */
export function chromiumSuite(title: string): string {
  return CHROMIUM === undefined ? `${title} (skipped: ${NO_CHROMIUM_REASON})` : title;
}

/** A registry that forwards to whatever `target()` returns when a report arrives. */
export function forwardingRegistry(target: () => WorkerRegistry): WorkerRegistry {
  return {
    add: (worker) => target().add(worker),
    remove: (worker) => target().remove(worker),
    pageChanged: (worker) => target().pageChanged(worker),
    idsCaptured: (worker, ids) => target().idsCaptured(worker, ids),
    recovering: (worker, recovering) => target().recovering(worker, recovering),
  };
}
export const SECRET = 'e2e-pairing-secret';

let bundle: Promise<string> | undefined;

/** The in-page agent bundled like scripts/build.mjs does, in memory (dist/ may not be built). */
export function agentBundle(): Promise<string> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const entry = fileURLToPath(new URL('../../../userscript/src/main.ts', import.meta.url));
    const result = await esbuild.build({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2020', platform: 'browser', write: false, logLevel: 'silent' });
    const output = result.outputFiles[0];
    if (output === undefined) throw new Error('esbuild produced no agent bundle');
    return output.text;
  })();
  return bundle;
}

/** Records what the worker endpoint reports; `waitFor` polls a condition. */
export class RecordingRegistry implements WorkerRegistry {
  readonly added: WorkerConnection[] = [];
  readonly removed: WorkerConnection[] = [];
  add(worker: WorkerConnection): void {
    this.added.push(worker);
  }
  remove(worker: WorkerConnection): void {
    this.removed.push(worker);
  }
  /** Every hold and release the host asked for, in order. */
  readonly recoveries: { worker: WorkerConnection; recovering: boolean }[] = [];
  pageChanged(): void {}
  idsCaptured(): void {}
  recovering(worker: WorkerConnection, recovering: boolean): void {
    this.recoveries.push({ worker, recovering });
  }
  get connected(): WorkerConnection[] {
    return this.added.filter((worker) => !this.removed.includes(worker));
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The real worker endpoint on 127.0.0.1:0, reporting to `registry`. */
export async function startWorkerEndpoint(registry: WorkerRegistry, arenaOrigin: string): Promise<{ wsUrl: string; close(): Promise<void> }> {
  const app = Fastify();
  await registerWorkerEndpoint(app, { registry, logger: createSilentLogger(), pairingSecret: SECRET, allowedOrigins: [arenaOrigin], maxConcurrency: 4 });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { wsUrl: `${address.replace('http', 'ws')}/ws/worker`, close: () => app.close() };
}

/** Live processes (Linux /proc) in process group `pgid` or whose command line mentions `marker`. */
export function chromiumProcesses(pgid: number | null, marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if ((pgid !== null && Number(fields[2]) === pgid) || command.includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
