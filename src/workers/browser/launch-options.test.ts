import { describe, expect, it } from 'vitest';
import { buildLaunchOptions, CHROMIUM_FLAGS, parseProxy } from './launch-options.js';

describe('buildLaunchOptions', () => {
  it('passes the executable, the fixed flags and no automation banner', () => {
    const options = buildLaunchOptions({ executablePath: '/usr/bin/chromium', headless: true });
    expect(options).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true, ignoreDefaultArgs: ['--enable-automation'] });
    expect(options.args).toEqual([...CHROMIUM_FLAGS]);
    expect(options.args).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-quic', '--disable-blink-features=AutomationControlled']));
    expect(options.proxy).toBeUndefined();
    expect([options.handleSIGINT, options.handleSIGTERM, options.handleSIGHUP]).toEqual([false, false, false]);
  });

  it('adds a proxy, with credentials split out of the URL', () => {
    expect(buildLaunchOptions({ executablePath: 'x', headless: false, proxy: 'socks5://127.0.0.1:1080' }).proxy).toEqual({ server: 'socks5://127.0.0.1:1080' });
    expect(parseProxy('http://me:p%40ss@proxy.local:3128/')).toEqual({ server: 'http://proxy.local:3128', username: 'me', password: 'p@ss' });
  });

  it('names the setting when the proxy is not a URL', () => {
    expect(() => parseProxy('proxy:3128:x')).toThrow(/browser_proxy/);
    expect(() => parseProxy('not a url')).toThrow(/browser_proxy/);
  });
});
