import type { BrowserLoginState, BrowserTrouble } from './browser-host-options.js';
import { describeLogin } from './describe-login.js';

/**
 * What one page knows of its sign-in: the account the page shows (read by each probe) and whether
 * the arena refused it direct mode for being anonymous.
 */
export class PageLogin {
  #state: BrowserLoginState = 'unknown';
  #email: string | null = null;
  #required = false;

  get state(): BrowserLoginState {
    return this.#state;
  }

  get email(): string | null {
    return this.#email;
  }

  /** As logs, /health and errors show it (`signed-in as …`, `anonymous`, …). */
  get text(): string {
    return describeLogin(this.#state, this.#email);
  }

  /**
   * Takes the account a probe read (`null`: nobody signed in; `undefined`: not readable now).
   * Returns true when the state as shown changed.
   */
  read(email: string | null | undefined): boolean {
    if (email === undefined) return false;
    const before = this.text;
    this.#email = email;
    if (email !== null) this.#required = false;
    this.#state = email !== null ? 'signed-in' : this.#required ? 'login-required' : 'anonymous';
    return this.text !== before;
  }

  /**
   * Interprets a login gate the pool saw. A page that still shows the user must have had its
   * session lapse, which a reload refreshes (§2.3): that is `auth-expired`. Otherwise the page is
   * anonymous and direct mode needs a sign-in; `firstTime` says whether this is news.
   */
  gate(): { trouble: BrowserTrouble; firstTime: boolean } {
    if (this.#state === 'signed-in') return { trouble: 'auth-expired', firstTime: false };
    const firstTime = !this.#required;
    this.#required = true;
    this.#state = 'login-required';
    return { trouble: 'login-gate', firstTime };
  }
}
