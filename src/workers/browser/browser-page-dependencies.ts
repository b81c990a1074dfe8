import type { BrowserContext } from 'playwright-core';
import type { Logger } from '../../observability/logger.js';
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
  /** The ladder reached its top rung. */
  restartBrowser: (reason: string) => void;
}
