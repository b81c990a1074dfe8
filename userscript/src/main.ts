/**
 * Entry of the in-page agent bundle (dist/userscript/agent.js). The served script defines
 * `__LMARENA_BRIDGE_SETTINGS__` around this bundle; Tampermonkey runs it at document-start, our
 * Chromium through addInitScript before the page's own scripts.
 */
import { createAgent } from './agent.js';
import { parseAgentSettings } from './agent-settings.js';
import { isArenaOrigin } from './arena-origin.js';
import { createBrowserEnvironment } from './browser-environment.js';
import { installFetchObserver } from './install-fetch-observer.js';

declare const __LMARENA_BRIDGE_SETTINGS__: unknown;

const RUNNING = Symbol.for('lmarena-bridge.agent');

function main(): void {
  // Only the top page of a real site hosts an agent (init scripts also run in about:blank and
  // frames), and only once (a userscript and an init script may both be present).
  if (window.top !== window || !/^https?:$/.test(location.protocol) || Reflect.has(window, RUNNING)) return;
  Reflect.set(window, RUNNING, true);
  let settings;
  try {
    settings = parseAgentSettings(typeof __LMARENA_BRIDGE_SETTINGS__ === 'undefined' ? undefined : __LMARENA_BRIDGE_SETTINGS__);
  } catch (error) {
    console.error('[LMArena Bridge]', error instanceof Error ? error.message : error);
    return;
  }
  // The script holds the pairing secret: a page that merely loads it (a <script> tag anywhere on
  // the web, or a sign-in page our Chromium visits) must not get a connected agent.
  if (!isArenaOrigin(location.origin, settings.arenaOrigins)) return;
  // Wrap fetch now, before the site's scripts keep a reference to the unwrapped one.
  const fetchObserver = installFetchObserver(window);
  console.info(`LMArena Bridge agent ${settings.agentVersion} (${settings.host}) connecting to ${settings.bridgeUrl}`);
  const begin = (): void => createAgent(createBrowserEnvironment(window, settings, fetchObserver)).start();
  // Connect once the document is parsed, so the hello carries the page's real title and flight data.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin, { once: true });
  else begin();
}

main();
