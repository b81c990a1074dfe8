/**
 * Renders the in-page agent for its two hosts: an installable Tampermonkey userscript and a
 * Playwright init script. Both wrap the same bundle (dist/userscript/agent.js) with the settings
 * it reads from the free identifier `__LMARENA_BRIDGE_SETTINGS__`.
 */
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AgentSettings } from '../../shared/agent-settings.js';

const SETTINGS_IDENTIFIER = '__LMARENA_BRIDGE_SETTINGS__';

/**
 * Where the agent bundle may be, relative to this module: compiled (dist/src/workers/userscript/)
 * and from sources under vitest (src/workers/userscript/).
 */
export function agentBundleCandidates(): string[] {
  return [
    fileURLToPath(new URL('../../../userscript/agent.js', import.meta.url)),
    fileURLToPath(new URL('../../../dist/userscript/agent.js', import.meta.url)),
  ];
}

/** Options of {@link loadAgentBundle}. */
export interface LoadAgentBundleOptions {
  /** Files to try in order. @default agentBundleCandidates() */
  paths?: string[];
}

/** Reads the bundled agent; fails with a message naming `npm run build` when it was never built. */
export async function loadAgentBundle(options: LoadAgentBundleOptions = {}): Promise<string> {
  const paths = options.paths ?? agentBundleCandidates();
  for (const path of paths) {
    try {
      await access(path);
    } catch {
      continue;
    }
    return readFile(path, 'utf8');
  }
  throw new Error(
    `The in-page agent bundle (dist/userscript/agent.js) is missing; looked in ${paths.join(', ')}. Run \`npm run build\` to build it.`,
  );
}

/** JSON that is also safe inside HTML and any JavaScript engine (no `</script>`, no raw U+2028/2029). */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function wrapBundle(bundle: string, settings: AgentSettings): string {
  return [
    '(function () {',
    `const ${SETTINGS_IDENTIFIER} = ${embedJson(settings)};`,
    bundle,
    '})();',
    '',
  ].join('\n');
}

/** One header value: metadata lines end at a line break, so none may reach the header. */
function headerValue(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

function originsOf(arenaOrigins: readonly string[]): string[] {
  return [...new Set(arenaOrigins.map((origin) => new URL(origin).origin))];
}

function matchPatterns(arenaOrigins: readonly string[]): string[] {
  const patterns = new Set<string>();
  for (const origin of arenaOrigins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`Arena origin ${JSON.stringify(origin)} is not a URL; expected e.g. https://arena.ai.`);
    }
    patterns.add(`${url.origin}/*`);
    // The site's own hosts also serve subdomains (beta., canary., www.).
    const site = /(?:^|\.)((?:lm)?arena\.ai)$/.exec(url.hostname)?.[1];
    if (site) patterns.add(`*://*.${site}/*`);
  }
  return [...patterns];
}

/** Input of {@link renderUserscript}. */
export interface RenderUserscriptInput {
  /** The agent bundle (from {@link loadAgentBundle}). */
  bundle: string;
  /** Worker endpoint the agent connects to, e.g. `ws://127.0.0.1:5102/ws/worker`. */
  bridgeWsUrl: string;
  /** Pairing secret baked into the script. */
  secret: string;
  /** Origins the script runs on; one `@match` each (plus subdomains for lmarena.ai/arena.ai). */
  arenaOrigins: string[];
  agentVersion: string;
  /** Where the userscript manager re-downloads the script (`@downloadURL` and `@updateURL`). */
  downloadUrl: string;
}

/** Renders the installable Tampermonkey userscript (`@grant none`, `@run-at document-start`). */
export function renderUserscript(input: RenderUserscriptInput): string {
  const lines = [
    '// ==UserScript==',
    '// @name         LMArena Bridge',
    '// @namespace    https://github.com/lmarena-bridge',
    `// @version      ${headerValue(input.agentVersion)}`,
    '// @description  Lets your local LMArena Bridge (an OpenAI-compatible API) use this LMArena tab.',
    ...matchPatterns(input.arenaOrigins).map((pattern) => `// @match        ${headerValue(pattern)}`),
    '// @grant        none',
    '// @run-at       document-start',
    '// @noframes',
    `// @connect      ${headerValue(new URL(input.bridgeWsUrl).hostname)}`,
    `// @downloadURL  ${headerValue(input.downloadUrl)}`,
    `// @updateURL    ${headerValue(input.downloadUrl)}`,
    '// ==/UserScript==',
    '',
  ];
  const settings: AgentSettings = {
    bridgeUrl: input.bridgeWsUrl,
    secret: input.secret,
    host: 'userscript',
    agentVersion: input.agentVersion,
    arenaOrigins: originsOf(input.arenaOrigins),
  };
  return lines.join('\n') + wrapBundle(input.bundle, settings);
}

/** Input of {@link renderInitScript}. */
export interface RenderInitScriptInput {
  bundle: string;
  bridgeWsUrl: string;
  secret: string;
  /** Ties the agent to the page our Chromium host launched. */
  pageToken: string;
  agentVersion: string;
  /** Origins the agent may run on (our Chromium also visits sign-in pages of other sites). */
  arenaOrigins: string[];
}

/** Renders the agent for Playwright's `addInitScript` in our own Chromium (host `browser`). */
export function renderInitScript(input: RenderInitScriptInput): string {
  const settings: AgentSettings = {
    bridgeUrl: input.bridgeWsUrl,
    secret: input.secret,
    host: 'browser',
    pageToken: input.pageToken,
    agentVersion: input.agentVersion,
    arenaOrigins: originsOf(input.arenaOrigins),
  };
  return wrapBundle(input.bundle, settings);
}
