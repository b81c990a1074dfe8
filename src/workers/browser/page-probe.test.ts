import { describe, expect, it } from 'vitest';
import { emailOf, phaseOf, type PageProbe } from './page-probe.js';

const app: PageProbe = {
  url: 'https://arena.ai/',
  title: 'LMArena',
  isApp: true,
  flightEntries: 3,
  flightText: '5:["$","$L6",null,{"user":{"id":"u1","email":"me@example.com"}}]',
  challengeGlobal: false,
  challengeElement: false,
  turnstile: false,
  recaptchaReady: true,
};

describe('page probe readers', () => {
  it('hands its facts to the shared challenge rule (src/shared/cloudflare-challenge.ts)', () => {
    const blank = { ...app, isApp: false, flightText: null, recaptchaReady: false };
    expect(phaseOf({ ...blank, title: '✅ Just a moment...' })).toBe('challenge');
    expect(phaseOf({ ...blank, challengeGlobal: true })).toBe('challenge');
    expect(phaseOf({ ...blank, challengeElement: true })).toBe('challenge');
    expect(phaseOf({ ...blank, turnstile: true })).toBe('challenge');
    // The site's own sign-up Turnstile and its own "please wait" are not a challenge.
    expect(phaseOf({ ...app, turnstile: true })).toBe('loaded');
    expect(phaseOf({ ...app, title: 'Please wait' })).toBe('loaded');
  });

  it('orders the phases: challenge, loading, waiting for reCAPTCHA, loaded', () => {
    expect(phaseOf({ ...app, title: 'Just a moment...' })).toBe('challenge');
    expect(phaseOf({ ...app, isApp: false })).toBe('loading');
    expect(phaseOf({ ...app, recaptchaReady: false })).toBe('waiting-for-recaptcha');
    expect(phaseOf(app)).toBe('loaded');
  });

  it('reads the signed-in email from flight text; null when anonymous, undefined when unchanged', () => {
    expect(emailOf(app)).toBe('me@example.com');
    expect(emailOf({ ...app, flightText: '5:["$","$L6",null,{"user":{"id":"u1","email":"$undefined"}}]' })).toBeNull();
    expect(emailOf({ ...app, flightText: '1:["initialModels",[]]' })).toBeNull();
    expect(emailOf({ ...app, flightText: null })).toBeUndefined();
  });
});
