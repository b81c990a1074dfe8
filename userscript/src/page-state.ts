/**
 * Pure readers for the page facts in PageState that only the agent reads: the reCAPTCHA script tag
 * (arena-protocol.md §6.1), the account flag's Security Verification modal (§15.4) and the
 * provisional-user cookie. Challenge detection and the flight-data user are shared with the bridge
 * (src/shared/cloudflare-challenge.ts, src/shared/flight-user.ts).
 */

/** The reCAPTCHA script the page loads: its site key and where it came from. */
export interface RecaptchaScript {
  siteKey: string;
  /** Origin the page loaded it from (google.com, recaptcha.net, or a test host). */
  origin: string;
  enterprise: boolean;
}

const RECAPTCHA_PATH = /\/recaptcha\/(enterprise|api)\.js$/;

/** Finds the v3 site key in `…/recaptcha/enterprise.js?render=<key>` (or `api.js`), whatever the host. */
export function findRecaptchaScript(scriptSources: readonly string[], baseUrl: string): RecaptchaScript | undefined {
  let fallback: RecaptchaScript | undefined;
  for (const source of scriptSources) {
    let url: URL;
    try {
      url = new URL(source, baseUrl || undefined);
    } catch {
      continue;
    }
    const kind = RECAPTCHA_PATH.exec(url.pathname)?.[1];
    const siteKey = url.searchParams.get('render');
    if (!kind || !siteKey || siteKey === 'explicit') continue;
    const found = { siteKey, origin: url.origin, enterprise: kind === 'enterprise' };
    if (found.enterprise) return found;
    fallback ??= found;
  }
  return fallback;
}

/** One element that may be the site's Security Verification modal (arena-protocol.md §15.4). */
export interface DialogSignals {
  /** The element's id; `security-verification` is the modal itself. */
  id: string;
  /** Its text (only read for rendered elements, and cut short). */
  text: string;
  /** Rendered: not `display: none`, `hidden` or `visibility: hidden`. */
  visible: boolean;
}

/** Elements that may be the Security Verification modal. */
export const VERIFICATION_SELECTOR = '#security-verification, [role="dialog"], [role="alertdialog"], dialog[open]';

const VERIFICATION_TEXT = /security verification/i;

/**
 * True while the account flag's "Security Verification" modal (a v2 checkbox a person can pass)
 * is showing: a rendered dialog that is `#security-verification` or says so in its text.
 */
export function detectVerification(dialogs: readonly DialogSignals[]): boolean {
  return dialogs.some((dialog) => dialog.visible && (dialog.id === 'security-verification' || VERIFICATION_TEXT.test(dialog.text)));
}

/** Reads one cookie (e.g. `provisional_user_id`) from a `document.cookie` string. */
export function readCookie(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value) || null;
    } catch {
      return value || null;
    }
  }
  return null;
}
