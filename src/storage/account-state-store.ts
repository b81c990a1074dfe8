import { z } from 'zod';
import type { StateDatabase } from './state-database.js';

/** Settings key of the per-account holds and learned spacings. */
export const ACCOUNT_STATE_KEY = 'accounts.state';
/** Settings key of the single-model mode value learned from the site. */
export const DIRECT_MODE_KEY = 'arena.direct_mode';

const accountSchema = z.object({
  account: z.string().min(1),
  label: z.string(),
  holdUntil: z.number().nullable(),
  holdReason: z.enum(['verification', 'rate-limited']).nullable(),
  probing: z.boolean(),
  learnedSpacingMs: z.number().min(0),
  updatedAt: z.number(),
});

/** One account's persisted state (the shape core's AccountStateStore reads and writes). */
export type StoredAccount = z.infer<typeof accountSchema>;

/** The persisted accounts, keyed by account. */
export interface SqliteAccountStateStore {
  load(): StoredAccount[];
  save(account: StoredAccount): void;
  remove(account: string): void;
}

/**
 * Account holds kept in the state database's settings table (one JSON list; a bridge sees a handful
 * of accounts), so a hold survives a restart. Entries that do not parse are dropped on read.
 */
export function createAccountStateStore(database: StateDatabase): SqliteAccountStateStore {
  const read = (): Map<string, StoredAccount> => {
    const result = new Map<string, StoredAccount>();
    let raw: unknown;
    try {
      raw = JSON.parse(database.getSetting(ACCOUNT_STATE_KEY) ?? '[]');
    } catch {
      return result;
    }
    for (const item of Array.isArray(raw) ? raw : []) {
      const parsed = accountSchema.safeParse(item);
      if (parsed.success) result.set(parsed.data.account, parsed.data);
    }
    return result;
  };
  const write = (accounts: Map<string, StoredAccount>): void => {
    if (accounts.size === 0) database.deleteSetting(ACCOUNT_STATE_KEY);
    else database.setSetting(ACCOUNT_STATE_KEY, JSON.stringify([...accounts.values()]));
  };
  return {
    load: () => [...read().values()],
    save(account) {
      const accounts = read();
      accounts.set(account.account, accountSchema.parse(account));
      write(accounts);
    },
    remove(account) {
      const accounts = read();
      if (accounts.delete(account)) write(accounts);
    },
  };
}
