import { describe, expect, it } from 'vitest';
import { detectChallenge, isChallengeText, type ChallengeSignals } from './cloudflare-challenge.js';

const calm: ChallengeSignals = { title: 'LMArena', isApp: true, hasChallengeGlobal: false, hasChallengeElement: false, hasTurnstile: false, bodyText: '' };
const blank: ChallengeSignals = { ...calm, isApp: false };

describe('detectChallenge', () => {
  it('sees Cloudflare titles, globals and elements, in the app or not', () => {
    expect(detectChallenge(calm)).toBe(false);
    for (const signals of [calm, blank]) {
      expect(detectChallenge({ ...signals, title: 'Just a moment...' })).toBe(true);
      expect(detectChallenge({ ...signals, title: '✅ Just a moment...' })).toBe(true);
      expect(detectChallenge({ ...signals, title: 'Checking your browser' })).toBe(true);
      expect(detectChallenge({ ...signals, title: 'Attention Required! | Cloudflare' })).toBe(true);
      expect(detectChallenge({ ...signals, hasChallengeGlobal: true })).toBe(true);
      expect(detectChallenge({ ...signals, hasChallengeElement: true })).toBe(true);
    }
  });

  it('counts Turnstile, a "Please wait" title and body text only when the app is not showing', () => {
    // The site's own sign-up Turnstile, and its own "please wait", are not a challenge.
    expect(detectChallenge({ ...calm, hasTurnstile: true, bodyText: 'Verifying you are human' })).toBe(false);
    expect(detectChallenge({ ...calm, title: 'Please wait' })).toBe(false);
    expect(detectChallenge({ ...blank, hasTurnstile: true })).toBe(true);
    expect(detectChallenge({ ...blank, bodyText: 'Enable JavaScript and cookies to continue' })).toBe(true);
    expect(detectChallenge({ ...blank, title: 'Please wait' })).toBe(true);
    expect(detectChallenge({ ...blank, bodyText: 'Hello' })).toBe(false);
    expect(detectChallenge(blank)).toBe(false);
  });
});

describe('isChallengeText', () => {
  it.each([
    '<title>Just a moment...</title>',
    '<html><head><title>Just a moment',
    '<TITLE>Checking your browser before accessing arena.ai</TITLE>',
    '<title>Please wait</title>',
    'Enable JavaScript and cookies to continue',
    'window._cf_chl_opt={}',
    'name="__cf_chl_jschl_tk__"',
    '<div class="cf-browser-verification">',
    'cf-challenge-running',
    'cf_challenge_response',
    '<div id="cf-please-wait">',
    '<p id="cf-spinner-please-wait">',
    '<span id="cf-cloudflare-status">',
    '<title>Attention Required! | Cloudflare</title>',
    'DDoS protection by Cloudflare',
    'Verifying you are human. This may take a few seconds.',
    'Please complete the security check to access arena.ai',
    '<iframe src="https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/g/turnstile/if/ov2/av0">',
    '<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>',
  ])('finds %s', (text) => {
    expect(isChallengeText(text)).toBe(true);
  });

  it('does not flag ordinary text or a normal page', () => {
    expect(isChallengeText('a0:"Please wait while I think"')).toBe(false);
    expect(isChallengeText('<html><head><title>LMArena</title></head></html>')).toBe(false);
    expect(isChallengeText('{"error":"recaptcha validation failed"}')).toBe(false);
  });
});
