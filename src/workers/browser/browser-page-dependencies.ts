import type { BrowserContext } from 'playwright-core';
import type { Logger } from '../../observability/logger.js';
import type { WorkerConnection } from '../types.js';
import type { BrowserPage } from './browser-page.js';
import type { LifecycleOptions } from './browser-host-options.js';

/** What a page needs from its host. */
export interface BrowserPageDependencies {
  index: number;
  pageToken: string;
  arenaUrl: string;
  lifecycle: LifecycleOptions;
  logger: Logger;
  now: () => number;
  progress: (step: string) => void;
  /** The current browser context, or null while the browser is down. */
  context: () => BrowserContext | null;
  /** The page closed or crashed without being asked to. */
  pageLost: (page: BrowserPage, reason: string) => void;
  /** Holds the page's worker out of the pool (`true`) while the page is about to be reloaded or restarted. */
  recovering: (worker: WorkerConnection, recovering: boolean) => void;
  /** The ladder reached its top rung. */
  restartBrowser: (reason: string) => void;
}
