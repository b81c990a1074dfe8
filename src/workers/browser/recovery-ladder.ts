import type { BrowserTrouble, LifecycleOptions } from './browser-host-options.js';

/** What to do for a page in trouble, mildest first. */
export type RecoveryAction = 'none' | 'reload' | 'restart-page' | 'restart-browser';

/** The limits the ladder climbs by. */
export type RecoveryLimits = Pick<
  LifecycleOptions,
  'recaptchaFailuresBeforeReload' | 'reloadsBeforePageRestart' | 'pageRestartsBeforeBrowserRestart'
>;

/**
 * One page's re-bootstrap ladder: reCAPTCHA rejections are counted until the limit, then every
 * trouble climbs one rung — reload, then (after `reloadsBeforePageRestart` reloads) a page restart,
 * then (after `pageRestartsBeforeBrowserRestart` restarts) a browser relaunch. A successful job
 * puts the page back at the bottom.
 *
 * @example
 * const ladder = new RecoveryLadder(limits);
 * ladder.trouble('auth-expired'); // 'reload'
 */
export class RecoveryLadder {
  readonly #limits: RecoveryLimits;
  #recaptchaStreak = 0;
  #reloads = 0;
  #restarts = 0;

  constructor(limits: RecoveryLimits) {
    this.#limits = limits;
  }

  /** The action a reported trouble calls for. `login-gate` and `worker-lost` never reload: neither is cured by it. */
  trouble(kind: BrowserTrouble): RecoveryAction {
    switch (kind) {
      case 'recaptcha-rejected':
        this.#recaptchaStreak += 1;
        if (this.#recaptchaStreak < this.#limits.recaptchaFailuresBeforeReload) return 'none';
        this.#recaptchaStreak = 0;
        return this.climb();
      case 'auth-expired':
      case 'challenge':
        return this.climb();
      case 'login-gate':
      case 'worker-lost':
        return 'none';
    }
  }

  /** Climbs one rung (also used when a page stays stuck too long). */
  climb(): RecoveryAction {
    this.#recaptchaStreak = 0;
    if (this.#reloads < this.#limits.reloadsBeforePageRestart) {
      this.#reloads += 1;
      return 'reload';
    }
    this.#reloads = 0;
    if (this.#restarts < this.#limits.pageRestartsBeforeBrowserRestart) {
      this.#restarts += 1;
      return 'restart-page';
    }
    this.#restarts = 0;
    return 'restart-browser';
  }

  /** A job succeeded: back to the bottom of the ladder. */
  reset(): void {
    this.#recaptchaStreak = 0;
    this.#reloads = 0;
    this.#restarts = 0;
  }
}
