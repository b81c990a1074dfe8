import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInContext, createContext } from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { agentSettingsSchema } from '../../shared/agent-settings.js';
import { workerHelloSchema } from '../../shared/worker-protocol.js';
import { agentBundleCandidates, embedJson, loadAgentBundle, renderInitScript, renderUserscript } from './render-userscript.js';

const userscriptInput = {
  bundle: 'globalThis.captured = __LMARENA_BRIDGE_SETTINGS__;',
  bridgeWsUrl: 'ws://127.0.0.1:5102/ws/worker',
  secret: 'pairing-secret',
  arenaOrigins: ['https://arena.ai', 'https://lmarena.ai', 'http://127.0.0.1:4000', 'https://arena.ai/'],
  agentVersion: '1.2.3',
  downloadUrl: 'http://127.0.0.1:5102/userscript.user.js',
};

function headerOf(script: string): string[] {
  const end = script.indexOf('// ==/UserScript==');
  return script.slice(0, end + '// ==/UserScript=='.length).split('\n');
}

function evaluate(script: string, globals: Record<string, unknown> = {}): Record<string, unknown> {
  const context = createContext({ ...globals });
  runInContext(script, context);
  return context as Record<string, unknown>;
}

describe('renderUserscript', () => {
  it('writes a Tampermonkey header with one @match per origin plus arena subdomains', () => {
    const header = headerOf(renderUserscript(userscriptInput));
    expect(header[0]).toBe('// ==UserScript==');
    const field = (name: string): string[] =>
      header.filter((line) => line.startsWith(`// @${name} `)).map((line) => line.slice(`// @${name} `.length).trim());
    expect(field('name')).toEqual(['LMArena Bridge']);
    expect(field('namespace')).toHaveLength(1);
    expect(field('version')).toEqual(['1.2.3']);
    expect(field('description')).toHaveLength(1);
    expect(field('match')).toEqual(['https://arena.ai/*', '*://*.arena.ai/*', 'https://lmarena.ai/*', '*://*.lmarena.ai/*', 'http://127.0.0.1:4000/*']);
    expect(field('grant')).toEqual(['none']);
    expect(field('run-at')).toEqual(['document-start']);
    expect(field('connect')).toEqual(['127.0.0.1']);
    expect(field('downloadURL')).toEqual([userscriptInput.downloadUrl]);
    expect(field('updateURL')).toEqual([userscriptInput.downloadUrl]);
  });

  it('keeps line breaks out of header values and rejects origins that are not URLs', () => {
    const header = headerOf(renderUserscript({ ...userscriptInput, agentVersion: '1.0\n// @grant GM_xmlhttpRequest' }));
    expect(header.filter((line) => line.startsWith('// @grant'))).toEqual(['// @grant        none']);
    expect(() => renderUserscript({ ...userscriptInput, arenaOrigins: ['arena.ai'] })).toThrow(/not a URL/);
  });

  it('embeds the settings as the identifier the bundle reads, safely escaped', () => {
    const secret = 'a</script><!-- \u2028 \u2029 "quoted" \\';
    const script = renderUserscript({ ...userscriptInput, secret });
    expect(script).not.toContain('</script>');
    expect(script).not.toMatch(/[\u2028\u2029]/);
    const { captured } = evaluate(script);
    // What the agent validates on start (src/shared/agent-settings.ts).
    expect(agentSettingsSchema.safeParse(captured).success).toBe(true);
    expect(captured).toEqual({
      bridgeUrl: userscriptInput.bridgeWsUrl,
      secret,
      host: 'userscript',
      agentVersion: '1.2.3',
      arenaOrigins: ['https://arena.ai', 'https://lmarena.ai', 'http://127.0.0.1:4000'],
    });
    expect(embedJson({ a: '<>' })).toBe('{"a":"\\u003c\\u003e"}');
  });
});

describe('renderInitScript', () => {
  it('wraps the bundle without a header, for the browser host with its page token', () => {
    const script = renderInitScript({ ...userscriptInput, pageToken: 'page-1' });
    expect(script).not.toContain('==UserScript==');
    const { captured } = evaluate(script);
    expect(agentSettingsSchema.safeParse(captured).success).toBe(true);
    expect(captured).toEqual({
      bridgeUrl: userscriptInput.bridgeWsUrl,
      secret: 'pairing-secret',
      host: 'browser',
      pageToken: 'page-1',
      agentVersion: '1.2.3',
      arenaOrigins: ['https://arena.ai', 'https://lmarena.ai', 'http://127.0.0.1:4000'],
    });
  });
});

describe('loadAgentBundle', () => {
  const directory = useTempDir('agent-bundle-', 'all');

  it('reads the first bundle that exists', async () => {
    await writeFile(join(directory(), 'agent.js'), 'bundle text');
    expect(await loadAgentBundle({ paths: [join(directory(), 'missing.js'), join(directory(), 'agent.js')] })).toBe('bundle text');
  });

  it('names npm run build when the bundle was never built', async () => {
    await expect(loadAgentBundle({ paths: [join(directory(), 'missing.js')] })).rejects.toThrow(/npm run build/);
  });

  it('looks in dist/userscript from sources and next to dist/src when compiled', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    expect(agentBundleCandidates()).toContain(join(root, 'dist', 'userscript', 'agent.js'));
    expect(agentBundleCandidates()).toContain(join(root, 'userscript', 'agent.js'));
  });
});

describe('the real agent bundle, rendered', () => {
  let bundle: string;
  beforeAll(async () => {
    const entry = fileURLToPath(new URL('../../../userscript/src/main.ts', import.meta.url));
    const result = await build({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2020', platform: 'browser', write: false, logLevel: 'silent' });
    bundle = result.outputFiles[0]?.text ?? '';
  });

  interface FakeSocket {
    readonly url: string;
    readyState: number;
    readonly sent: string[];
    onopen: ((event: unknown) => void) | null;
    onmessage: ((event: { data: string }) => void) | null;
  }

  /** A page just rich enough for the agent to boot and say hello. */
  function fakePage(): { globals: Record<string, unknown>; sockets: FakeSocket[]; document: { title: string }; dispose(): void } {
    const sockets: FakeSocket[] = [];
    const timers = new Set<NodeJS.Timeout>();
    class PageSocket implements FakeSocket {
      readyState = 0;
      readonly sent: string[] = [];
      onopen: ((event: unknown) => void) | null = null;
      onmessage: ((event: { data: string }) => void) | null = null;
      onclose: ((event: unknown) => void) | null = null;
      onerror: ((event: unknown) => void) | null = null;
      readonly url: string;
      constructor(url: string) {
        this.url = url;
        sockets.push(this);
      }
      send(data: string): void {
        this.sent.push(data);
      }
      close(): void {
        this.readyState = 3;
      }
    }
    const document = {
      readyState: 'complete',
      title: 'LMArena',
      cookie: '',
      head: null,
      body: null,
      documentElement: {},
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      querySelector: () => null,
      querySelectorAll: () => [],
    };
    const track = (timer: NodeJS.Timeout): NodeJS.Timeout => {
      timers.add(timer);
      return timer;
    };
    const globals: Record<string, unknown> = {
      document,
      location: { href: 'https://arena.ai/', origin: 'https://arena.ai', protocol: 'https:', reload: () => undefined },
      localStorage: { getItem: () => null },
      WebSocket: PageSocket,
      fetch: () => Promise.resolve(new Response('')),
      console: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
      setTimeout: (callback: () => void, ms: number) => track(setTimeout(callback, ms)),
      setInterval: (callback: () => void, ms: number) => track(setInterval(callback, ms)),
      clearTimeout: (timer: NodeJS.Timeout) => clearTimeout(timer),
      clearInterval: (timer: NodeJS.Timeout) => clearInterval(timer),
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      URL,
      TextDecoder,
      AbortController,
    };
    globals.window = globals;
    globals.top = globals;
    return { globals, sockets, document, dispose: () => timers.forEach((timer) => clearInterval(timer)) };
  }

  it('boots from the init script, connects to the bridge URL and says hello with its settings', () => {
    const page = fakePage();
    try {
      const context = createContext(page.globals);
      const script = renderInitScript({ bundle, bridgeWsUrl: 'ws://127.0.0.1:9/ws/worker', secret: 's3cret', pageToken: 'tok', agentVersion: '9.9.9', arenaOrigins: ['https://arena.ai'] });
      runInContext(script, context);
      expect(page.sockets.map((socket) => socket.url)).toEqual(['ws://127.0.0.1:9/ws/worker']);
      expect(page.document.title).toBe('❌ LMArena');
      const socket = page.sockets[0];
      if (!socket) throw new Error('no socket');
      socket.readyState = 1;
      socket.onopen?.({});
      const hello = workerHelloSchema.parse(JSON.parse(socket.sent[0] ?? 'null'));
      expect(hello).toMatchObject({ secret: 's3cret', pageToken: 'tok', host: 'browser', agentVersion: '9.9.9', page: { title: 'LMArena', url: 'https://arena.ai/' } });
      socket.onmessage?.({ data: JSON.stringify({ type: 'hello-ack', protocolVersion: 1, workerId: 'w', heartbeatIntervalMs: 60_000 }) });
      expect(page.document.title).toBe('✅ LMArena');

      // A second copy in the same page (userscript and init script both present) stays idle.
      runInContext(renderUserscript({ ...userscriptInput, bundle }), context);
      expect(page.sockets).toHaveLength(1);
    } finally {
      page.dispose();
    }
  });

  it('stays idle inside frames and on pages that are not a site (about:blank)', () => {
    const framed = fakePage();
    framed.globals.top = {};
    runInContext(renderUserscript({ ...userscriptInput, bundle }), createContext(framed.globals));
    expect(framed.sockets).toEqual([]);
    framed.dispose();
    const blank = fakePage();
    blank.globals.location = { href: 'about:blank', origin: 'null', protocol: 'about:' };
    runInContext(renderInitScript({ ...userscriptInput, bundle, pageToken: 't' }), createContext(blank.globals));
    expect(blank.sockets).toEqual([]);
    blank.dispose();
  });
});
