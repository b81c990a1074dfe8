/**
 * Maps the `browser` configuration onto the automated Chromium workers: none, one host with pages,
 * or a fleet (one Chromium per `browser_profiles` entry). Part of the composition root.
 */
import { findChromium } from './config/index.js';
import type { StartBridgeOptions } from './server.js';
import { createBrowserFleet, createBrowserHost, planBrowserWorkers, profileDirFor, type BrowserHost } from './workers/browser/index.js';

/** Plans and creates the automated Chromium workers (`--browser`, one Chromium per `browser_profiles` entry), or none. */
export async function createBrowserWorkers(
  options: Pick<StartBridgeOptions, 'config' | 'logger' | 'onProgress'>,
  agent: { pairingSecret: string; version: string; wsUrl: () => string },
): Promise<BrowserHost | undefined> {
  const { config, logger } = options;
  const plan = planBrowserWorkers(config.browser, await findChromium(config));
  if (plan.kind === 'error') throw new Error(plan.message);
  if (plan.kind === 'skip') {
    if (config.browser.workers !== 'off') options.onProgress?.(plan.message);
    logger.info(plan.message);
    return undefined;
  }
  for (const warning of plan.warnings) {
    options.onProgress?.(`warning: ${warning}`);
    logger.warn(warning);
  }
  const shared = {
    executablePath: plan.executablePath,
    headless: !config.browser.headful,
    ...(config.browser.proxy === undefined ? {} : { proxy: config.browser.proxy }),
    arenaUrl: config.arena.url,
    bridgeWsUrl: agent.wsUrl,
    pairingSecret: agent.pairingSecret,
    agentVersion: agent.version,
    logger,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  if (plan.profiles.length > 0) return createBrowserFleet({ ...shared, profiles: plan.profiles, dataDir: config.dataDir });
  return createBrowserHost({ ...shared, profileDir: profileDirFor(config.dataDir), incognito: config.browser.incognito, pages: plan.pages });
}
