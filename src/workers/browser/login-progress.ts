import type { LoginView } from './read-login-view.js';

/**
 * How `login` ended: signed in (with no Security Verification check showing), the check passed
 * for a signed-in account, or the window closed / the time ran out — during the sign-in, or while
 * the check still showed (`verification-*`, which name the flagged account).
 */
export type LoginResult =
  | { status: 'signed-in'; email: string }
  | { status: 'verification-passed'; email: string }
  | { status: 'closed' }
  | { status: 'timeout' }
  | { status: 'verification-closed'; email: string }
  | { status: 'verification-timeout'; email: string };

/** What the login window should do after a look at the arena. */
export type LoginStep =
  | { kind: 'wait' }
  /** Not signed in: open the sign-in page and tell the person to sign in. */
  | { kind: 'sign-in' }
  /** The check shows for `email` (first time, or for another account): tell the person to pass it. */
  | { kind: 'verification'; email: string }
  /** Signed in, nothing showing for long enough. */
  | { kind: 'done'; result: Extract<LoginResult, { status: 'signed-in' | 'verification-passed' }> };

/** Timings of {@link LoginProgress}. */
export interface LoginProgressOptions {
  /** When the window opened (ms). */
  startedAt: number;
  /**
   * How long a signed-in page must go without the modal before `login` ends: the live site may
   * add it after the page has loaded.
   */
  settleMs: number;
  /** How long to wait for the arena's app to load before opening the sign-in page anyway. */
  bootWaitMs: number;
}

/**
 * The login window's decisions, apart from the browser: sign in when the arena shows an anonymous
 * visitor (or never loads), keep the window open while the Security Verification modal shows for
 * the signed-in account, and end once the account is signed in with no modal for `settleMs`.
 */
export class LoginProgress {
  readonly #options: LoginProgressOptions;
  #signingIn = false;
  #appSeen = false;
  #verifyingFor: string | null = null;
  /** Since when, and as whom, the last looks found a signed-in page without the modal. */
  #clean: { since: number; email: string } | null = null;

  constructor(options: LoginProgressOptions) {
    this.#options = options;
  }

  /** Decides what to do after reading `view` at `now` (ms). */
  observe(view: LoginView, now: number): LoginStep {
    if (view.email !== undefined) this.#appSeen = true;
    if (typeof view.email !== 'string') {
      this.#clean = null;
      // A page that is only navigating reads as not loaded: that opens the sign-in page only
      // when the arena never loaded at all.
      const loadGaveUp = !this.#appSeen && now - this.#options.startedAt >= this.#options.bootWaitMs;
      if (this.#signingIn || (view.email === undefined && !loadGaveUp)) return { kind: 'wait' };
      this.#signingIn = true;
      return { kind: 'sign-in' };
    }
    if (view.verification) {
      this.#clean = null;
      if (this.#verifyingFor === view.email) return { kind: 'wait' };
      this.#verifyingFor = view.email;
      return { kind: 'verification', email: view.email };
    }
    if (this.#clean?.email !== view.email) this.#clean = { since: now, email: view.email };
    if (now - this.#clean.since < this.#options.settleMs) return { kind: 'wait' };
    return { kind: 'done', result: this.#success(view.email) };
  }

  /**
   * The result when the window closed (`closed`) or the time ran out (`timeout`) before the end
   * was settled; a signed-in page without the modal at the last look still counts as success.
   */
  ended(how: 'closed' | 'timeout'): LoginResult {
    if (this.#clean !== null) return this.#success(this.#clean.email);
    if (this.#verifyingFor === null) return { status: how };
    return { status: how === 'closed' ? 'verification-closed' : 'verification-timeout', email: this.#verifyingFor };
  }

  #success(email: string): Extract<LoginResult, { status: 'signed-in' | 'verification-passed' }> {
    return { status: this.#verifyingFor === null ? 'signed-in' : 'verification-passed', email };
  }
}
