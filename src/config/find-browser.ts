import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BrowserConfig } from './bridge-config.js';

/** The outcome of {@link findChromium}. */
export type BrowserLookup =
  | { found: true; path: string; source: 'config' | 'search' }
  | { found: false; tried: string[]; reason: string };

/** Overrides for tests; the defaults describe the running machine. */
export interface FindChromiumOptions {
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** @default os.homedir() */
  homeDir?: string;
  /** Whether a path is a runnable file. @default fs.access with X_OK (existence on Windows) */
  isExecutable?: (path: string) => Promise<boolean>;
  /** Directories listed, for Playwright's browser cache. @default fs.readdir */
  listDirectory?: (path: string) => Promise<string[]>;
}

/**
 * Finds a Chromium-family browser: the configured `browser_executable_path` (`--browser-path`,
 * BRIDGE_BROWSER_PATH) if set — without falling back, since the user chose it — else the usual
 * install locations of Chromium, Chrome, Brave and Edge, then Playwright's download cache.
 */
export async function findChromium(
  config: { browser: Pick<BrowserConfig, 'executablePath'> },
  options: FindChromiumOptions = {},
): Promise<BrowserLookup> {
  const platform = options.platform ?? process.platform;
  const isExecutable = options.isExecutable ?? ((path: string) => canRun(path, platform));
  const configured = config.browser.executablePath;
  if (configured !== undefined) {
    if (await isExecutable(configured)) return { found: true, path: configured, source: 'config' };
    return {
      found: false,
      tried: [configured],
      reason: `the configured browser ${configured} does not exist or is not executable`,
    };
  }
  const homeDir = options.homeDir ?? homedir();
  const candidates = [
    ...knownLocations(platform, homeDir),
    ...(await playwrightBrowsers(platform, homeDir, options.listDirectory ?? ((path) => readdir(path)))),
  ];
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return { found: true, path: candidate, source: 'search' };
  }
  return { found: false, tried: candidates, reason: 'no Chromium, Chrome, Brave or Edge found in the usual places' };
}

function knownLocations(platform: NodeJS.Platform, homeDir: string): string[] {
  if (platform === 'darwin') {
    const apps = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Brave Browser.app/Contents/MacOS/Brave Browser', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
    return [...apps.map((app) => join('/Applications', app)), ...apps.map((app) => join(homeDir, 'Applications', app))];
  }
  if (platform === 'win32') {
    const suffixes = ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe',
      'BraveSoftware\\Brave-Browser\\Application\\brave.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    const roots = ['C:\\Program Files', 'C:\\Program Files (x86)', `${homeDir}\\AppData\\Local`];
    return roots.flatMap((root) => suffixes.map((suffix) => `${root}\\${suffix}`));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'brave-browser', 'brave', 'microsoft-edge'];
  return [
    ...['/usr/bin', '/usr/local/bin', '/snap/bin'].flatMap((dir) => names.map((name) => join(dir, name))),
    '/opt/google/chrome/chrome',
    '/opt/brave.com/brave/brave',
    '/opt/microsoft/msedge/msedge',
  ];
}

/** Chromium builds Playwright downloaded (`npx playwright install chromium`), newest first. */
async function playwrightBrowsers(
  platform: NodeJS.Platform,
  homeDir: string,
  listDirectory: (path: string) => Promise<string[]>,
): Promise<string[]> {
  const cache =
    platform === 'darwin' ? join(homeDir, 'Library', 'Caches', 'ms-playwright')
      : platform === 'win32' ? `${homeDir}\\AppData\\Local\\ms-playwright`
        : join(homeDir, '.cache', 'ms-playwright');
  let entries: string[];
  try {
    entries = await listDirectory(cache);
  } catch {
    return [];
  }
  const builds = entries
    .filter((entry) => /^chromium-\d+$/.test(entry))
    .sort((left, right) => Number(right.slice(9)) - Number(left.slice(9)));
  const inside =
    platform === 'darwin' ? ['chrome-mac/Chromium.app/Contents/MacOS/Chromium']
      : platform === 'win32' ? ['chrome-win\\chrome.exe']
        : ['chrome-linux/chrome', 'chrome-linux64/chrome'];
  return builds.flatMap((build) => inside.map((path) => (platform === 'win32' ? `${cache}\\${build}\\${path}` : join(cache, build, path))));
}

async function canRun(path: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
