import { CHALLENGE_SELECTOR, detectChallenge, TURNSTILE_SELECTOR } from '../../src/shared/cloudflare-challenge.js';
import { joinFlightEntries } from '../../src/shared/flight-data.js';
import { parseFlightUser, type FlightUser } from '../../src/shared/flight-user.js';
import type { PageState } from '../../src/shared/worker-protocol.js';
import type { RecaptchaApi } from './agent-environment.js';
import { detectVerification, findRecaptchaScript, readCookie, type RecaptchaScript } from './page-state.js';
import { readDialogSignals, VERIFICATION_QUERY } from './read-dialog-signals.js';
import { stripTitlePrefix } from './title-prefix.js';

/** The browser globals the reader looks at. */
export type PageWindow = Window & typeof globalThis;

const PROVISIONAL_ID = 'provisional_user_id';

/** `window.grecaptcha` when it looks like the reCAPTCHA API. */
export function readRecaptchaApi(view: PageWindow): RecaptchaApi | undefined {
  const value: unknown = Reflect.get(view, 'grecaptcha');
  return typeof value === 'object' && value !== null ? (value as RecaptchaApi) : undefined;
}

/** Whether grecaptcha (enterprise or plain) can execute. */
export function isRecaptchaReady(api: RecaptchaApi | undefined): boolean {
  return typeof api?.enterprise?.execute === 'function' || typeof api?.execute === 'function';
}

/** The page's reCAPTCHA script tag, re-read on every call. */
export function readRecaptchaScript(view: PageWindow): RecaptchaScript | undefined {
  const sources = Array.from(view.document.querySelectorAll('script[src]'), (element) => element.getAttribute('src') ?? '');
  return findRecaptchaScript(sources, view.location.href);
}

/** Whether the site's Security Verification modal is showing; cheap (a few elements at most). */
export function readVerification(document: Document): boolean {
  return detectVerification(readDialogSignals(VERIFICATION_QUERY, document));
}

/**
 * The protocol the document came over: `nextHopProtocol` of its navigation entry (`h2`, `h3`,
 * `http/1.1`), or `''` when the browser does not say (no Performance API, a cached document).
 */
export function readHttpProtocol(view: PageWindow): string {
  try {
    const [entry] = view.performance.getEntriesByType('navigation');
    const protocol: unknown = entry === undefined ? undefined : Reflect.get(entry, 'nextHopProtocol');
    return typeof protocol === 'string' ? protocol : '';
  } catch {
    return '';
  }
}

// Both throw on opaque origins (sandboxed frames, some error pages).
function readProvisionalId(view: PageWindow): string | null {
  try {
    const fromCookie = readCookie(view.document.cookie, PROVISIONAL_ID);
    if (fromCookie) return fromCookie;
  } catch {
    // fall through to localStorage
  }
  try {
    return view.localStorage.getItem(PROVISIONAL_ID) || null;
  } catch {
    return null;
  }
}

/**
 * Creates a cheap `getPageState()` for a browser window. Flight data is only re-parsed when
 * `self.__next_f` grows, so polling every second or two costs little on a long page.
 */
export function createPageStateReader(view: PageWindow): () => PageState {
  let seenEntries = -1;
  let user: FlightUser | undefined;
  // One document, one navigation entry: once known, the protocol does not change until a reload.
  let httpProtocol = '';

  function readUser(entries: readonly unknown[]): FlightUser | undefined {
    if (entries.length !== seenEntries) {
      seenEntries = entries.length;
      user = parseFlightUser(joinFlightEntries(entries));
    }
    return user;
  }

  return () => {
    const document = view.document;
    const title = stripTitlePrefix(document.title);
    const flight: unknown = Reflect.get(view, '__next_f');
    const isApp = Array.isArray(flight) && flight.length > 0;
    const challenge = detectChallenge({
      title,
      isApp,
      hasChallengeGlobal: Reflect.get(view, '_cf_chl_opt') !== undefined,
      hasChallengeElement: document.querySelector(CHALLENGE_SELECTOR) !== null,
      hasTurnstile: document.querySelector(TURNSTILE_SELECTOR) !== null,
      bodyText: isApp ? '' : (document.body?.textContent ?? '').slice(0, 20_000),
    });
    const found = isApp ? readUser(flight) : undefined;
    const email = found?.email ?? null;
    if (httpProtocol === '') httpProtocol = readHttpProtocol(view);
    return {
      url: view.location.href,
      origin: view.location.origin,
      title,
      challenge,
      recaptchaReady: isRecaptchaReady(readRecaptchaApi(view)),
      siteKey: readRecaptchaScript(view)?.siteKey ?? null,
      auth: !isApp || challenge ? 'unknown' : email ? 'signed-in' : 'anonymous',
      email,
      identity: found?.id ?? readProvisionalId(view),
      verification: readVerification(document),
      httpProtocol,
    };
  };
}
