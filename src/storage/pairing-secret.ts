import { randomBytes } from 'node:crypto';
import type { StateDatabase } from './state-database.js';

/** The settings key holding the secret userscripts and browser workers authenticate with. */
export const PAIRING_SECRET_KEY = 'pairing_secret';

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The secret shared with in-page agents: 32 random bytes, base64url. Created once and kept in the
 * database, so an installed userscript keeps working across restarts. Two processes starting at
 * once agree on one value (insert-if-absent). A stored value of the wrong shape cannot authenticate
 * anyone, so it is replaced.
 */
export function loadOrCreatePairingSecret(database: StateDatabase): string {
  const stored = database.getSetting(PAIRING_SECRET_KEY);
  if (stored !== undefined && SECRET_PATTERN.test(stored)) return stored;
  const fresh = randomBytes(32).toString('base64url');
  if (stored !== undefined) {
    database.setSetting(PAIRING_SECRET_KEY, fresh);
    return fresh;
  }
  return database.setSettingIfAbsent(PAIRING_SECRET_KEY, fresh);
}
