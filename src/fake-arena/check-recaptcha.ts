import type { FakeArenaState } from './state.js';
import type { InjectionName } from './injections.js';
import type { TokenRejection } from './token-registry.js';

/** The token fields of a body (§6.1, §6.4). */
export interface TokenFields {
  recaptchaV3Token?: string | undefined;
  recaptchaV2Token?: string | undefined;
}

/** The 403 body of every reCAPTCHA failure (§6.2). */
export const RECAPTCHA_FAILED = { error: 'recaptcha validation failed' } as const;

/**
 * Verifies the token of a request: a v2 token when present (the §6.4 fallback), else the v3 token
 * with one of `actions`. Returns the rejection reason, `missing`, or undefined when accepted.
 */
export function checkRecaptcha(
  state: FakeArenaState,
  fields: TokenFields,
  actions: readonly string[],
  options: { required: boolean; injections: ReadonlySet<InjectionName> },
): TokenRejection | 'missing' | 'injected' | undefined {
  if (options.injections.has('recaptcha-reject')) return 'injected';
  const { recaptchaV3Token: v3, recaptchaV2Token: v2 } = fields;
  if (v2 !== undefined && v2 !== '') {
    return state.tokens.verify(v2, { version: 'v2', actions: [], siteKey: state.options.siteKeyV2 });
  }
  if (v3 === undefined || v3 === '') return options.required ? 'missing' : undefined;
  if (options.injections.has('recaptcha-require-v2')) {
    state.tokens.verify(v3, { version: 'v3', actions, siteKey: state.options.siteKeyV3 });
    return 'injected';
  }
  return state.tokens.verify(v3, { version: 'v3', actions, siteKey: state.options.siteKeyV3 });
}
