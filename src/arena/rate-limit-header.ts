/** The request budget a response's rate-limit headers announce (§2.4, §15.5). */
export interface RateLimitBudget {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in seconds, when announced. */
  windowSeconds?: number;
  /** Requests left in the current window, when announced. */
  remaining?: number;
  /** Seconds until the window resets, when announced. */
  resetSeconds?: number;
}

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * Reads the budget from `ratelimit` (and `ratelimit-policy`) whatever their spelling: the 2026 form
 * `limit=1800;w=300` (§15.5), the older `limit=3000, remaining=2999, reset=300`, and a policy of
 * `3000;w=300`. Parameters may be separated by `;` or `,`. Undefined when no limit is readable.
 *
 * @example parseRateLimitHeaders({ ratelimit: 'limit=1800;w=300' }) // { limit: 1800, windowSeconds: 300 }
 */
export function parseRateLimitHeaders(headers: Readonly<Record<string, string>>): RateLimitBudget | undefined {
  let header: string | undefined;
  let policy: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'ratelimit') header = value;
    else if (lower === 'ratelimit-policy') policy = value;
  }
  const fields = new Map<string, number>();
  for (const source of [policy, header]) {
    if (source === undefined) continue;
    for (const part of source.split(/[;,]/)) {
      const [rawName, rawValue] = part.split('=', 2).map((piece) => piece.trim().toLowerCase());
      if (rawName === undefined) continue;
      if (rawValue === undefined) {
        // A bare number leads a policy (`3000;w=300`): it is the limit.
        if (NUMBER.test(rawName)) fields.set('limit', Number(rawName));
        continue;
      }
      if (NUMBER.test(rawValue)) fields.set(rawName, Number(rawValue));
    }
  }
  const limit = fields.get('limit') ?? fields.get('q');
  if (limit === undefined) return undefined;
  const budget: RateLimitBudget = { limit };
  const window = fields.get('w') ?? fields.get('window');
  if (window !== undefined) budget.windowSeconds = window;
  const remaining = fields.get('remaining') ?? fields.get('r');
  if (remaining !== undefined) budget.remaining = remaining;
  const reset = fields.get('reset') ?? fields.get('t');
  if (reset !== undefined) budget.resetSeconds = reset;
  return budget;
}
