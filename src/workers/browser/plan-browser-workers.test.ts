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

describe('describeLogin', () => {
  it('says what /health and the logs show', () => {
    expect(describeLogin('signed-in', 'me@example.com')).toBe('signed-in as me@example.com');
    expect(describeLogin('anonymous', null)).toBe('anonymous');
    expect(describeLogin('login-required', null)).toBe('login required for direct mode');
  });
});
