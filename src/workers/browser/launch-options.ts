/**
 * The Chromium command line and Playwright launch options of the bridge's browser. Pure, so the
 * flags are tested without a browser.
 */

/** Flags every bridge Chromium gets. We often run as root (containers), hence `--no-sandbox`. */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-blink-features=AutomationControlled',
]);

const PROXY_PROTOCOLS: readonly string[] = ['http:', 'https:', 'socks4:', 'socks5:'];

/** Playwright's proxy setting. */
export interface ProxySettings {
  server: string;
  username?: string;
  password?: string;
}

/** What {@link buildLaunchOptions} needs. */
export interface LaunchInput {
  executablePath: string;
  headless: boolean;
  proxy?: string;
}

/** Options shared by `chromium.launch` and `chromium.launchPersistentContext`. */
export interface ChromiumLaunchOptions {
  executablePath: string;
  headless: boolean;
  args: string[];
  ignoreDefaultArgs: string[];
  proxy?: ProxySettings;
  /** The browser is told to close on our signals, not Playwright's: the host's stop() owns shutdown. */
  handleSIGINT: false;
  handleSIGTERM: false;
  handleSIGHUP: false;
}

/**
 * Splits credentials out of a proxy URL (Chromium's `--proxy-server` takes none; Playwright answers
 * the proxy's auth challenge with them).
 *
 * @example
 * parseProxy('http://me:secret@proxy:3128') // { server: 'http://proxy:3128', username: 'me', password: 'secret' }
 */
export function parseProxy(proxy: string): ProxySettings {
  let url: URL | undefined;
  try {
    url = new URL(proxy);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.host === '' || !PROXY_PROTOCOLS.includes(url.protocol)) {
    throw new Error(`The browser proxy ${JSON.stringify(proxy)} is not a proxy URL; set browser_proxy to e.g. http://127.0.0.1:3128 or socks5://127.0.0.1:1080.`);
  }
  const server = `${url.protocol}//${url.host}`;
  if (url.username === '' && url.password === '') return { server };
  return { server, username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/** Builds the launch options: fixed flags, no `--enable-automation` banner, optional proxy. */
export function buildLaunchOptions(input: LaunchInput): ChromiumLaunchOptions {
  return {
    executablePath: input.executablePath,
    headless: input.headless,
    args: [...CHROMIUM_FLAGS],
    ignoreDefaultArgs: ['--enable-automation'],
    ...(input.proxy === undefined ? {} : { proxy: parseProxy(input.proxy) }),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}
