import { randomBytes } from 'node:crypto';

/** A reCAPTCHA token kind: v3 (score, action) or v2 (widget). */
export type TokenVersion = 'v3' | 'v2';

/** What to mint. */
export interface MintTokenRequest {
  /** reCAPTCHA action (v3); v2 tokens carry none. @default 'chat_submit' */
  action?: string;
  /** @default 'v3' */
  version?: TokenVersion;
  /** Site key the token is minted for. @default the fake's key for that version */
  siteKey?: string;
}

interface TokenRecord {
  version: TokenVersion;
  action: string | undefined;
  siteKey: string;
  expiresAt: number;
  used: boolean;
}

/** Why a token was refused; every reason answers the same 403 on the wire. */
export type TokenRejection = 'unknown' | 'expired' | 'reused' | 'wrong-action' | 'wrong-version' | 'wrong-site-key';

/** What a stream or sign-up request requires of its token. */
export interface TokenExpectation {
  version: TokenVersion;
  actions: readonly string[];
  siteKey: string;
}

/**
 * The fake's stand-in for Google's verification backend: tokens exist, expire, are single use and
 * carry the action and site key they were minted for (§6.1, §6.2).
 */
export class TokenRegistry {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #now: () => number;
  readonly #lifetimeMs: () => number;

  constructor(now: () => number, lifetimeMs: () => number) {
    this.#now = now;
    this.#lifetimeMs = lifetimeMs;
  }

  /** Mints a token; `siteKey` must already be resolved by the caller. */
  mint(version: TokenVersion, siteKey: string, action: string | undefined): string {
    const prefix = version === 'v3' ? '03AFcWeA' : '03AFY_a8';
    const token = `${prefix}${randomBytes(48).toString('base64url')}`;
    this.#tokens.set(token, {
      version,
      action: version === 'v3' ? action : undefined,
      siteKey,
      expiresAt: this.#now() + this.#lifetimeMs(),
      used: false,
    });
    return token;
  }

  /** Checks and consumes a token; returns why it was refused, or undefined when accepted. */
  verify(token: string, expected: TokenExpectation): TokenRejection | undefined {
    const record = this.#tokens.get(token);
    if (record === undefined) return 'unknown';
    if (record.used) return 'reused';
    record.used = true;
    if (this.#now() > record.expiresAt) return 'expired';
    if (record.version !== expected.version) return 'wrong-version';
    if (record.siteKey !== expected.siteKey) return 'wrong-site-key';
    if (record.version === 'v3' && !expected.actions.includes(record.action ?? '')) return 'wrong-action';
    return undefined;
  }

  /** Spends a token without judging it (a request refused for another reason still uses it up). */
  consume(token: string): void {
    const record = this.#tokens.get(token);
    if (record !== undefined) record.used = true;
  }

  clear(): void {
    this.#tokens.clear();
  }
}
