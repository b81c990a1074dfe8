import type { AgentSettings } from '../../src/shared/agent-settings.js';
import type { AgentEnvironment, AgentLogger, RecaptchaContainer } from './agent-environment.js';
import type { FetchObserver } from './install-fetch-observer.js';
import { createPageStateReader, readRecaptchaApi, readRecaptchaScript, readVerification, type PageWindow } from './page-state-reader.js';
import { createTitleController } from './title-controller.js';
import { watchVerification } from './watch-verification.js';

const LOG_PREFIX = '[LMArena Bridge]';

function createConsoleLogger(): AgentLogger {
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) console[method](LOG_PREFIX, message);
      else console[method](LOG_PREFIX, message, fields);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function createLoadRecaptcha(view: PageWindow): () => void {
  let injected = false;
  return () => {
    const script = readRecaptchaScript(view);
    if (injected || !script) return;
    injected = true;
    // The page's own tag decides the host (google.com, recaptcha.net, …); enterprise.js is what the site uses.
    const element = view.document.createElement('script');
    element.src = `${script.origin}/recaptcha/enterprise.js?render=${encodeURIComponent(script.siteKey)}`;
    element.async = true;
    (view.document.head ?? view.document.documentElement).appendChild(element);
  };
}

function createRecaptchaContainer(view: PageWindow): RecaptchaContainer {
  const element = view.document.createElement('div');
  element.setAttribute('data-lmarena-bridge', 'recaptcha-v2');
  element.style.cssText = 'position:fixed;right:0;bottom:0;z-index:2147483647;';
  (view.document.body ?? view.document.documentElement).appendChild(element);
  return { element, remove: () => element.remove() };
}

function subscribePageChanges(view: PageWindow, listener: () => void): () => void {
  const windowEvents = ['load', 'pageshow', 'popstate', 'focus'];
  const documentEvents = ['DOMContentLoaded', 'visibilitychange', 'readystatechange'];
  for (const name of windowEvents) view.addEventListener(name, listener);
  for (const name of documentEvents) view.document.addEventListener(name, listener);
  // The Security Verification modal comes and goes without any of these events.
  const stopWatching = watchVerification(view, () => readVerification(view.document), listener);
  return () => {
    for (const name of windowEvents) view.removeEventListener(name, listener);
    for (const name of documentEvents) view.document.removeEventListener(name, listener);
    stopWatching();
  };
}

/** Builds the agent's environment from the page it runs in. */
export function createBrowserEnvironment(view: PageWindow, settings: AgentSettings, fetchObserver: FetchObserver): AgentEnvironment {
  return {
    settings,
    WebSocket: view.WebSocket,
    fetch: fetchObserver.originalFetch,
    getPageState: createPageStateReader(view),
    pageLocation: () => ({ url: view.location.href, origin: view.location.origin }),
    getRecaptcha: () => readRecaptchaApi(view),
    loadRecaptcha: createLoadRecaptcha(view),
    createRecaptchaContainer: () => createRecaptchaContainer(view),
    reloadPage: () => view.location.reload(),
    setTitlePrefix: createTitleController(view.document),
    subscribePageChanges: (listener) => subscribePageChanges(view, listener),
    subscribePageRequests: (listener) => fetchObserver.subscribe(listener),
    timers: {
      setTimeout: (callback, delayMs) => view.setTimeout(callback, delayMs),
      clearTimeout: (handle) => view.clearTimeout(handle as number),
      setInterval: (callback, delayMs) => view.setInterval(callback, delayMs),
      clearInterval: (handle) => view.clearInterval(handle as number),
      now: () => Date.now(),
    },
    logger: createConsoleLogger(),
  };
}
