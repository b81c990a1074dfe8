import type { BrowserLoginState } from './browser-host-options.js';

/** The hint every login-gate message carries. */
export const LOGIN_HINT =
  'run `lmarena-bridge login` to sign in the bridge\'s browser once, or install the userscript in a signed-in browser';

/**
 * The sign-in state as logs, /health and errors show it.
 *
 * @example
 * describeLogin('signed-in', 'me@example.com') // 'signed-in as me@example.com'
 */
export function describeLogin(state: BrowserLoginState, email: string | null): string {
  switch (state) {
    case 'signed-in':
      return email === null ? 'signed-in' : `signed-in as ${email}`;
    case 'login-required':
      return 'login required for direct mode';
    case 'anonymous':
      return 'anonymous';
    case 'unknown':
      return 'unknown';
  }
}
