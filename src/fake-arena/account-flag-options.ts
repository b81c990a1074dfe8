import { z } from 'zod';

/**
 * The account-level "Security Verification" flag of protocol §15.4: too many stream requests from
 * one account in a short time flag the account, and every stream request of that account is then
 * refused, whatever reCAPTCHA token it carries, until the hold runs out or a person passes the v2
 * check of the page's modal. Counted per account (the user id behind the auth cookie; every
 * anonymous identity is its own account).
 * @example
 * // the third request within a minute flags the account for 20 minutes
 * startFakeArena({ accountFlag: { tripAfter: 3, withinSeconds: 60, holdSeconds: 1200 } });
 */
export interface FakeArenaAccountFlag {
  /** Stream requests within `withinSeconds` that flag the account; the request that reaches this count is already refused. */
  tripAfter: number;
  /** Length of the sliding window the requests are counted in, in seconds. */
  withinSeconds: number;
  /** How long a new flag lasts, in seconds (also used by the `account-flag` injection). */
  holdSeconds: number;
  /**
   * Each request refused during a flag pushes its end to at least now + this many seconds.
   * @default holdSeconds
   */
  extendSeconds?: number;
  /**
   * 403 answers `{"error":"recaptcha validation failed"}`; 429 answers `{"error":"prompt failed"}`.
   * Both carry `retry-after` with the seconds left.
   * @default 403
   */
  status?: 403 | 429;
}

/** Hold of a flag raised by the `account-flag` injection or `flagAccount` when no option says otherwise (§15.4: ≈ 1200 s). */
export const DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS = 1200;

/** Validates {@link FakeArenaAccountFlag} at the admin API. */
export const accountFlagSchema = z.strictObject({
  tripAfter: z.number().int().positive(),
  withinSeconds: z.number().positive(),
  holdSeconds: z.number().positive(),
  extendSeconds: z.number().min(0).optional(),
  status: z.union([z.literal(403), z.literal(429)]).optional(),
});

const SPEC = /^(\d+)\/(\d+)(?:\/(\d+))?$/;

/**
 * Reads the CLI form `<tripAfter>/<withinSeconds>[/<holdSeconds>]` (hold defaults to 1200 s).
 * Returns undefined when the text is not in that form.
 * @example parseAccountFlagSpec('3/60/1200') // { tripAfter: 3, withinSeconds: 60, holdSeconds: 1200 }
 */
export function parseAccountFlagSpec(text: string): FakeArenaAccountFlag | undefined {
  const match = SPEC.exec(text.trim());
  if (match === null) return undefined;
  const parsed = accountFlagSchema.safeParse({
    tripAfter: Number(match[1]),
    withinSeconds: Number(match[2]),
    holdSeconds: match[3] === undefined ? DEFAULT_ACCOUNT_FLAG_HOLD_SECONDS : Number(match[3]),
  });
  return parsed.success ? parsed.data : undefined;
}
