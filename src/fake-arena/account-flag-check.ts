import { RECAPTCHA_V2_FIELD, RECAPTCHA_V3_FIELD } from '../arena/constants.js';
import { RECAPTCHA_FAILED } from './check-recaptcha.js';
import type { InjectionName } from './injections.js';
import type { FakeArenaState, FakeRequestLogEntry } from './state.js';

/** The 429 body a flagged account sometimes gets instead of the 403 (§15.4, §6.2). */
export const PROMPT_FAILED = { error: 'prompt failed' } as const;

/** A refusal to send: status, JSON body and headers. */
export interface AccountFlagRefusal {
  status: 403 | 429;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Runs one stream request of `userId` past the account flag (§15.4). Returns the refusal when the
 * account is (or has just become) flagged, after spending the body's reCAPTCHA tokens — the site
 * refuses whatever token is sent, and a fresh v3 token is still used up — and marking the log entry.
 */
export function checkAccountFlag(
  state: FakeArenaState,
  entry: FakeRequestLogEntry,
  userId: string,
  injections: ReadonlySet<InjectionName>,
  body: unknown,
): AccountFlagRefusal | undefined {
  const decision = state.accountFlags.admit(userId, state.options.accountFlag, injections.has('account-flag'));
  if (!decision.refused) return undefined;
  entry.accountFlag = decision.kind;
  for (const token of tokensOf(body)) state.tokens.consume(token);
  return {
    status: decision.status,
    body: decision.status === 429 ? PROMPT_FAILED : RECAPTCHA_FAILED,
    headers: { 'retry-after': String(decision.retryAfterSeconds) },
  };
}

function tokensOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  return [record[RECAPTCHA_V3_FIELD], record[RECAPTCHA_V2_FIELD]].filter((value): value is string => typeof value === 'string');
}
