import { describe, expect, it } from 'vitest';
import { emailOf, isChallengeProbe, phaseOf, type PageProbe } from './page-probe.js';

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
  it('sees a Cloudflare challenge by title, global, element, or a Turnstile outside the app', () => {
    const blank = { ...app, isApp: false, flightText: null, recaptchaReady: false };
    expect(isChallengeProbe({ ...blank, title: '✅ Just a moment...' })).toBe(true);
    expect(isChallengeProbe({ ...blank, title: 'Checking your browser' })).toBe(true);
    expect(isChallengeProbe({ ...blank, challengeGlobal: true })).toBe(true);
    expect(isChallengeProbe({ ...blank, challengeElement: true })).toBe(true);
    expect(isChallengeProbe({ ...blank, turnstile: true })).toBe(true);
    // The site's own sign-up Turnstile is not a challenge.
    expect(isChallengeProbe({ ...app, turnstile: true })).toBe(false);
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
