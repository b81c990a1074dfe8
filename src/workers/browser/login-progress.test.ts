import { describe, expect, it } from 'vitest';
import { LoginProgress } from './login-progress.js';

const ME = 'me@example.com';
const signedIn = { email: ME, verification: false };
const flagged = { email: ME, verification: true };
const loading = { email: undefined, verification: false };
const anonymous = { email: null, verification: false };

function progress(): LoginProgress {
  return new LoginProgress({ startedAt: 0, settleMs: 1000, bootWaitMs: 5000 });
}

describe('LoginProgress', () => {
  it('ends signed in once a signed-in page has shown no modal for settleMs', () => {
    const login = progress();
    expect(login.observe(signedIn, 100)).toEqual({ kind: 'wait' });
    expect(login.observe(signedIn, 1099)).toEqual({ kind: 'wait' });
    expect(login.observe(signedIn, 1100)).toEqual({ kind: 'done', result: { status: 'signed-in', email: ME } });
  });

  it('keeps waiting while the modal shows, says so once, and ends with verification-passed after it is gone', () => {
    const login = progress();
    expect(login.observe(signedIn, 0)).toEqual({ kind: 'wait' });
    expect(login.observe(flagged, 900)).toEqual({ kind: 'verification', email: ME });
    for (const now of [1500, 60_000, 500_000]) expect(login.observe(flagged, now)).toEqual({ kind: 'wait' });
    expect(login.observe(signedIn, 500_100)).toEqual({ kind: 'wait' });
    expect(login.observe(loading, 500_200)).toEqual({ kind: 'wait' });
    expect(login.observe(signedIn, 500_300)).toEqual({ kind: 'wait' });
    expect(login.observe(signedIn, 501_300)).toEqual({ kind: 'done', result: { status: 'verification-passed', email: ME } });
  });

  it('opens the sign-in page once for an anonymous visitor, then checks the signed-in account the same way', () => {
    const login = progress();
    expect(login.observe(anonymous, 0)).toEqual({ kind: 'sign-in' });
    expect(login.observe(anonymous, 100)).toEqual({ kind: 'wait' });
    expect(login.observe(loading, 10_000)).toEqual({ kind: 'wait' });
    expect(login.observe(flagged, 20_000)).toEqual({ kind: 'verification', email: ME });
    expect(login.ended('closed')).toEqual({ status: 'verification-closed', email: ME });
    expect(login.ended('timeout')).toEqual({ status: 'verification-timeout', email: ME });
  });

  it('opens the sign-in page when the arena never loads, but not for a signed-in page that is navigating', () => {
    const never = progress();
    expect(never.observe(loading, 4999)).toEqual({ kind: 'wait' });
    expect(never.observe(loading, 5000)).toEqual({ kind: 'sign-in' });
    const navigating = progress();
    expect(navigating.observe(signedIn, 0)).toEqual({ kind: 'wait' });
    expect(navigating.observe(loading, 9000)).toEqual({ kind: 'wait' });
  });

  it('counts a window closed (or a time out) while settling on a signed-in page without the modal as success', () => {
    const plain = progress();
    plain.observe(signedIn, 0);
    expect(plain.ended('closed')).toEqual({ status: 'signed-in', email: ME });
    const passed = progress();
    passed.observe(flagged, 0);
    passed.observe(signedIn, 100);
    expect(passed.ended('timeout')).toEqual({ status: 'verification-passed', email: ME });
    passed.observe(flagged, 200);
    expect(passed.ended('closed')).toEqual({ status: 'verification-closed', email: ME });
  });

  it('reports a plain close or timeout when no check was shown', () => {
    const login = progress();
    login.observe(anonymous, 0);
    expect(login.ended('closed')).toEqual({ status: 'closed' });
    expect(login.ended('timeout')).toEqual({ status: 'timeout' });
  });
});
