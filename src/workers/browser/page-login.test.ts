import { describe, expect, it } from 'vitest';
import { PageLogin } from './page-login.js';

describe('PageLogin', () => {
  it('follows what the page shows, saying when that changed', () => {
    const login = new PageLogin();
    expect(login.text).toBe('unknown');
    expect(login.read(undefined)).toBe(false);
    expect(login.read(null)).toBe(true);
    expect(login.read(null)).toBe(false);
    expect(login.text).toBe('anonymous');
    expect(login.read('me@example.com')).toBe(true);
    expect([login.state, login.email, login.text]).toEqual(['signed-in', 'me@example.com', 'signed-in as me@example.com']);
  });

  it('an anonymous page behind the login gate needs a sign-in, reported once, until one shows', () => {
    const login = new PageLogin();
    login.read(null);
    expect(login.gate()).toEqual({ trouble: 'login-gate', firstTime: true });
    expect(login.gate()).toEqual({ trouble: 'login-gate', firstTime: false });
    expect(login.read(null)).toBe(false);
    expect(login.text).toBe('login required for direct mode');
    login.read('me@example.com');
    expect(login.state).toBe('signed-in');
  });

  it('a page that still shows the user behind the gate has an expired session', () => {
    const login = new PageLogin();
    login.read('me@example.com');
    expect(login.gate()).toEqual({ trouble: 'auth-expired', firstTime: false });
    expect(login.state).toBe('signed-in');
  });
});
