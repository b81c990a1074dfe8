import type { BrowserConfig } from '../../config/bridge-config.js';
import type { BrowserLookup } from '../../config/find-browser.js';

/** What `serve` should do about automated Chromium workers. */
export type BrowserWorkerPlan =
  | { kind: 'launch'; executablePath: string; pages: number; message: string }
  | { kind: 'skip'; message: string }
  | { kind: 'error'; message: string };

const SETTING = 'browser_executable_path (--browser-path, BRIDGE_BROWSER_PATH)';

/**
 * Decides from the `browser` setting and `findChromium(config)`'s answer: `auto` launches one page
 * when a browser is found and otherwise says so (the userscript still works); an explicit count
 * without a browser is an error naming the setting; `off` launches nothing.
 *
 * @example
 * const plan = planBrowserWorkers(config.browser, await findChromium(config));
 * if (plan.kind === 'error') throw new Error(plan.message);
 */
export function planBrowserWorkers(browser: Pick<BrowserConfig, 'workers'>, lookup: BrowserLookup): BrowserWorkerPlan {
  if (browser.workers === 'off') {
    return { kind: 'skip', message: 'Automated browser workers are off (browser: "off"); connect a userscript worker.' };
  }
  const pages = browser.workers === 'auto' ? 1 : browser.workers;
  if (lookup.found) {
    return { kind: 'launch', executablePath: lookup.path, pages, message: `Starting ${pages} Chromium worker${pages === 1 ? '' : 's'} with ${lookup.path}.` };
  }
  const looked = lookup.tried.length > 0 ? ` (looked in ${lookup.tried.slice(0, 6).join(', ')}${lookup.tried.length > 6 ? ', …' : ''})` : '';
  if (browser.workers === 'auto') {
    return {
      kind: 'skip',
      message: `No automated browser worker: ${lookup.reason}${looked}. Install Chromium or set ${SETTING}; ` +
        'the userscript path still works.',
    };
  }
  return {
    kind: 'error',
    message: `browser is set to ${browser.workers} but ${lookup.reason}${looked}. Install Chromium or set ${SETTING}, ` +
      'or set browser to "off".',
  };
}
