import { describe, expect, it } from 'vitest';
import { RecoveryLadder } from './recovery-ladder.js';

const limits = { recaptchaFailuresBeforeReload: 2, reloadsBeforePageRestart: 2, pageRestartsBeforeBrowserRestart: 1 };

describe('RecoveryLadder', () => {
  it('reloads only after the configured reCAPTCHA rejections in a row', () => {
    const ladder = new RecoveryLadder(limits);
    expect(ladder.trouble('recaptcha-rejected')).toBe('none');
    expect(ladder.trouble('recaptcha-rejected')).toBe('reload');
    expect(ladder.trouble('recaptcha-rejected')).toBe('none');
  });

  it('climbs reload → page restart → reload → browser relaunch, then starts over', () => {
    const ladder = new RecoveryLadder(limits);
    const actions = Array.from({ length: 7 }, () => ladder.trouble('auth-expired'));
    expect(actions).toEqual(['reload', 'reload', 'restart-page', 'reload', 'reload', 'restart-browser', 'reload']);
  });

  it('never reloads for a login gate or a lost worker', () => {
    const ladder = new RecoveryLadder(limits);
    expect(ladder.trouble('login-gate')).toBe('none');
    expect(ladder.trouble('worker-lost')).toBe('none');
    expect(ladder.trouble('challenge')).toBe('reload');
  });

  it('goes back to the bottom after a success', () => {
    const ladder = new RecoveryLadder(limits);
    ladder.trouble('auth-expired');
    ladder.trouble('auth-expired');
    ladder.trouble('recaptcha-rejected');
    ladder.reset();
    expect(ladder.trouble('recaptcha-rejected')).toBe('none');
    expect(ladder.trouble('auth-expired')).toBe('reload');
  });
});
