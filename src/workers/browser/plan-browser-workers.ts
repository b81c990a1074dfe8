import type { BrowserConfig, BrowserProfileConfig } from '../../config/bridge-config.js';
import type { BrowserLookup } from '../../config/find-browser.js';

/** What `serve` should do about automated Chromium workers. */
export type BrowserWorkerPlan =
  | {
      kind: 'launch';
      executablePath: string;
      /** Pages in all, every profile counted. */
      pages: number;
      /** One Chromium per entry (`browser_profiles`); empty: one Chromium on the single default profile. */
      profiles: readonly BrowserProfileConfig[];
      /** Settings that were ignored, for the terminal and the log. */
      warnings: readonly string[];
      message: string;
    }
  | { kind: 'skip'; message: string }
  | { kind: 'error'; message: string };

/** The parts of the browser settings the plan reads; `profiles` and `incognito` default to none/false. */
export type BrowserPlanInput = Pick<BrowserConfig, 'workers'> & Partial<Pick<BrowserConfig, 'profiles' | 'incognito'>>;

const SETTING = 'browser_executable_path (--browser-path, BRIDGE_BROWSER_PATH)';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function profileWarnings(browser: BrowserPlanInput): string[] {
  const warnings: string[] = [];
  if (browser.incognito === true) {
    warnings.push('browser_incognito is ignored because browser_profiles is set: each profile keeps its own sign-in in ' +
      '<data dir>/browser-profiles/<name>. Remove one of the two settings.');
  }
  if (typeof browser.workers === 'number') {
    warnings.push(`browser is ${browser.workers}, but with browser_profiles each profile opens its own "pages" (1 unless set); ` +
      'the count is ignored. Set browser to "auto" to silence this.');
  }
  return warnings;
}

/**
 * Decides from the browser settings and `findChromium(config)`'s answer: `auto` launches one page
 * when a browser is found and otherwise says so (the userscript still works); an explicit count
 * without a browser is an error naming the setting; `off` launches nothing. With
 * `browser_profiles`, one Chromium per profile with its own page count replaces the default
 * profile; `browser_incognito` and a page count are then ignored with a warning.
 *
 * @example
 * const plan = planBrowserWorkers(config.browser, await findChromium(config));
 * if (plan.kind === 'error') throw new Error(plan.message);
 */
export function planBrowserWorkers(browser: BrowserPlanInput, lookup: BrowserLookup): BrowserWorkerPlan {
  if (browser.workers === 'off') {
    return { kind: 'skip', message: 'Automated browser workers are off (browser: "off"); connect a userscript worker.' };
  }
  const profiles = browser.profiles ?? [];
  if (lookup.found && profiles.length > 0) {
    const pages = profiles.reduce((sum, profile) => sum + profile.pages, 0);
    const list = profiles.map((profile) => `${profile.name}: ${profile.pages}`).join(', ');
    const message = `Starting ${plural(pages, 'Chromium worker')} in ${plural(profiles.length, 'profile')} (${list}) with ${lookup.path}.`;
    return { kind: 'launch', executablePath: lookup.path, pages, profiles, warnings: profileWarnings(browser), message };
  }
  const pages = browser.workers === 'auto' ? 1 : browser.workers;
  if (lookup.found) {
    return { kind: 'launch', executablePath: lookup.path, pages, profiles: [], warnings: [], message: `Starting ${plural(pages, 'Chromium worker')} with ${lookup.path}.` };
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
