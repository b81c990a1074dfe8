import { describe, expect, it } from 'vitest';
import { findChromium } from './find-browser.js';

const noCache = async (): Promise<string[]> => {
  throw new Error('ENOENT');
};

describe('findChromium', () => {
  it('uses the configured path without searching further', async () => {
    const seen: string[] = [];
    const isExecutable = async (path: string) => {
      seen.push(path);
      return path === '/opt/custom/chrome';
    };
    const found = await findChromium({ browser: { executablePath: '/opt/custom/chrome' } }, { isExecutable, listDirectory: noCache });
    expect(found).toEqual({ found: true, path: '/opt/custom/chrome', source: 'config' });
    const missing = await findChromium({ browser: { executablePath: '/nope/chrome' } }, { isExecutable, listDirectory: noCache });
    expect(missing).toMatchObject({ found: false, tried: ['/nope/chrome'] });
    expect(seen).toEqual(['/opt/custom/chrome', '/nope/chrome']);
  });

  it('searches the usual Linux places in order', async () => {
    const found = await findChromium(
      { browser: { executablePath: undefined } },
      { platform: 'linux', homeDir: '/home/u', isExecutable: async (path) => path === '/usr/bin/google-chrome', listDirectory: noCache },
    );
    expect(found).toEqual({ found: true, path: '/usr/bin/google-chrome', source: 'search' });
  });

  it("falls back to Playwright's newest downloaded Chromium", async () => {
    const found = await findChromium(
      { browser: { executablePath: undefined } },
      {
        platform: 'linux',
        homeDir: '/home/u',
        listDirectory: async () => ['chromium-1100', 'chromium_headless_shell-1200', 'chromium-1200', 'ffmpeg-1010'],
        isExecutable: async (path) => path.startsWith('/home/u/.cache/ms-playwright/'),
      },
    );
    expect(found).toEqual({ found: true, path: '/home/u/.cache/ms-playwright/chromium-1200/chrome-linux/chrome', source: 'search' });
  });

  it('lists what it tried when nothing is found', async () => {
    const result = await findChromium(
      { browser: { executablePath: undefined } },
      { platform: 'darwin', homeDir: '/Users/u', isExecutable: async () => false, listDirectory: noCache },
    );
    expect(result.found).toBe(false);
    if (!result.found) expect(result.tried).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  });
});
