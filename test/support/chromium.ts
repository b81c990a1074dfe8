/**
 * Real Chromium for the userscript end-to-end tests (playwright-core, the system browser): launch
 * it, install the bridge's own `/userscript.user.js` as an init script and open fake-arena tabs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestBridge } from './test-bridge.js';
import { waitFor } from './wait-for.js';

/** The system Chromium the tests drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** True when {@link CHROMIUM_PATH} exists; browser tests are skipped otherwise. */
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Why browser tests are skipped when {@link HAS_CHROMIUM} is false. */
export const NO_CHROMIUM_REASON = `no system Chromium at ${CHROMIUM_PATH}`;

/** Flags that keep a headless test browser quiet, offline and fast. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless system Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

const AGENT_ENTRY = fileURLToPath(new URL('../../userscript/src/main.ts', import.meta.url));
const AGENT_BUNDLE = fileURLToPath(new URL('../../dist/userscript/agent.js', import.meta.url));

/**
 * Makes sure the agent bundle the bridge serves (dist/userscript/agent.js) exists, bundling only
 * that file, as scripts/build.mjs does, when it is missing. Never wipes dist/, which others use.
 */
export async function ensureAgentBundle(): Promise<void> {
  if (existsSync(AGENT_BUNDLE)) return;
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [AGENT_ENTRY],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    outfile: AGENT_BUNDLE,
    legalComments: 'none',
    minify: true,
    logLevel: 'warning',
  });
}

/** Fetches the installable userscript from the bridge and runs it in every page of `context`, as Tampermonkey would. */
export async function installUserscript(context: BrowserContext, harness: TestBridge): Promise<string> {
  const response = await fetch(`${harness.url}/userscript.user.js`);
  if (!response.ok) throw new Error(`GET /userscript.user.js answered ${response.status}: ${await response.text()}`);
  const content = await response.text();
  await context.addInitScript({ content });
  return content;
}

/**
 * Opens an arena page of the fake in a new tab and resolves once the bridge's /health lists
 * `workersAfter` workers (the tab's agent has joined).
 */
export async function openArenaTab(context: BrowserContext, harness: TestBridge, workersAfter: number, path = '/text/direct'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${harness.fake.url}${path}`);
  await harness.waitForWorkers(workersAfter);
  return page;
}

/** Waits until no worker is connected (tabs of a closed context have left the pool). */
export async function waitForNoWorkers(harness: TestBridge): Promise<void> {
  await waitFor(async () => (await harness.health()).workers.count === 0, 'every worker to leave the pool');
}
