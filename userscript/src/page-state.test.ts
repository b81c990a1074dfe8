import { describe, expect, it } from 'vitest';
import { detectVerification, findRecaptchaScript, readCookie } from './page-state.js';

describe('findRecaptchaScript', () => {
  it('reads the render key of enterprise.js whatever its host, preferring enterprise over api.js', () => {
    expect(
      findRecaptchaScript(['/_next/static/chunks/app.js', 'https://www.recaptcha.net/recaptcha/api.js?render=api-key', 'http://127.0.0.1:9/recaptcha/enterprise.js?render=ent-key&hl=en'], 'https://arena.ai/'),
    ).toEqual({ siteKey: 'ent-key', origin: 'http://127.0.0.1:9', enterprise: true });
    expect(findRecaptchaScript(['https://www.google.com/recaptcha/api.js?render=api-key'], 'https://arena.ai/')).toEqual({
      siteKey: 'api-key',
      origin: 'https://www.google.com',
      enterprise: false,
    });
  });

  it('ignores explicit rendering, missing keys and unrelated scripts', () => {
    expect(findRecaptchaScript(['https://www.google.com/recaptcha/enterprise.js?render=explicit', 'https://www.google.com/recaptcha/enterprise.js', 'https://x.test/recaptcha/other.js?render=k', '::bad'], '')).toBeUndefined();
  });
});

describe('detectVerification', () => {
  const modal = { id: 'security-verification', text: 'Security Verification Please confirm you are human.', visible: true };
  const other = { id: '', text: 'Select a model', visible: true };

  it('sees the modal by its id or by a dialog saying "Security Verification" in any case', () => {
    expect(detectVerification([])).toBe(false);
    expect(detectVerification([other])).toBe(false);
    expect(detectVerification([other, modal])).toBe(true);
    expect(detectVerification([{ id: 'security-verification', text: '', visible: true }])).toBe(true);
    expect(detectVerification([{ id: 'radix-7', text: 'SECURITY VERIFICATION required', visible: true }])).toBe(true);
  });

  it('ignores a modal that is not rendered', () => {
    expect(detectVerification([{ ...modal, visible: false }])).toBe(false);
    expect(detectVerification([{ ...modal, visible: false }, other])).toBe(false);
  });
});

describe('readCookie', () => {
  it('reads one cookie by exact name', () => {
    expect(readCookie('a=1; provisional_user_id=abc%2D1; xprovisional_user_id=no', 'provisional_user_id')).toBe('abc-1');
    expect(readCookie('a=1', 'provisional_user_id')).toBeNull();
    expect(readCookie('provisional_user_id=%E0', 'provisional_user_id')).toBe('%E0');
  });
});
