import { describe, expect, it } from 'vitest';
import { describeLogin } from './describe-login.js';
import { planBrowserWorkers } from './plan-browser-workers.js';

const found = { found: true as const, path: '/usr/bin/chromium', source: 'search' as const };
const missing = { found: false as const, tried: ['/usr/bin/chromium', '/usr/bin/chromium-browser'], reason: 'no Chromium, Chrome, Brave or Edge found in the usual places' };

describe('planBrowserWorkers', () => {
  it('auto launches one page when a browser is found', () => {
    expect(planBrowserWorkers({ workers: 'auto' }, found)).toMatchObject({ kind: 'launch', executablePath: '/usr/bin/chromium', pages: 1 });
    expect(planBrowserWorkers({ workers: 3 }, found)).toMatchObject({ kind: 'launch', pages: 3, message: 'Starting 3 Chromium workers with /usr/bin/chromium.' });
  });

  it('auto without a browser says so, naming the setting, and keeps the userscript path', () => {
    const plan = planBrowserWorkers({ workers: 'auto' }, missing);
    expect(plan.kind).toBe('skip');
    expect(plan.message).toContain('browser_executable_path (--browser-path, BRIDGE_BROWSER_PATH)');
    expect(plan.message).toContain('/usr/bin/chromium-browser');
    expect(plan.message).toContain('userscript');
  });

  it('an explicit count without a browser is an error; off launches nothing', () => {
    expect(planBrowserWorkers({ workers: 2 }, missing)).toMatchObject({ kind: 'error', message: expect.stringContaining('browser_executable_path') });
    expect(planBrowserWorkers({ workers: 'off' }, found).kind).toBe('skip');
  });
});

describe('planBrowserWorkers with browser_profiles', () => {
  const profiles = [{ name: 'alice', pages: 1 }, { name: 'bob', pages: 2 }];

  it('launches one Chromium per profile with its own pages, counting them all', () => {
    const plan = planBrowserWorkers({ workers: 'auto', profiles, incognito: false }, found);
    expect(plan).toEqual({
      kind: 'launch',
      executablePath: '/usr/bin/chromium',
      pages: 3,
      profiles,
      warnings: [],
      message: 'Starting 3 Chromium workers in 2 profiles (alice: 1, bob: 2) with /usr/bin/chromium.',
    });
  });

  it('without profiles keeps the single default profile and the browser count', () => {
    expect(planBrowserWorkers({ workers: 2, profiles: [], incognito: true }, found)).toMatchObject({ kind: 'launch', pages: 2, profiles: [], warnings: [] });
  });

  it('warns that browser_incognito and a page count are ignored with profiles', () => {
    const plan = planBrowserWorkers({ workers: 4, profiles, incognito: true }, found);
    expect(plan).toMatchObject({ kind: 'launch', pages: 3 });
    const warnings = plan.kind === 'launch' ? plan.warnings : [];
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^browser_incognito is ignored because browser_profiles is set/);
    expect(warnings[1]).toMatch(/^browser is 4, but with browser_profiles .* ignored/);
  });

  it('launches nothing when off, and needs a browser like the default profile does', () => {
    expect(planBrowserWorkers({ workers: 'off', profiles }, found).kind).toBe('skip');
    expect(planBrowserWorkers({ workers: 'auto', profiles }, missing).kind).toBe('skip');
    expect(planBrowserWorkers({ workers: 2, profiles }, missing).kind).toBe('error');
  });
});

describe('describeLogin', () => {
  it('says what /health and the logs show', () => {
    expect(describeLogin('signed-in', 'me@example.com')).toBe('signed-in as me@example.com');
    expect(describeLogin('anonymous', null)).toBe('anonymous');
    expect(describeLogin('login-required', null)).toBe('login required for direct mode');
  });
});
