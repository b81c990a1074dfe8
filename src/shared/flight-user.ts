/**
 * The signed-in (or anonymous) user in the site's flight data (arena-protocol.md §7), read the
 * same way by the in-page agent and by the Chromium host.
 */
import { jsonValuesAfterKey } from './flight-data.js';

/** The user the page's flight data describes; a field the page leaves out is null. */
export interface FlightUser {
  id: string | null;
  email: string | null;
  /** When the user accepted the terms of use; null until they do (§6.5). */
  touConsentTimestamp: string | null;
}

// React Server Components write an absent value as the string "$undefined".
function present(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value !== '$undefined' ? value : null;
}

/**
 * The first `"user":{…}` object in decoded flight text (from `decodeFlightText` or
 * `joinFlightEntries`) with an `id` or an `email`. Fields that are missing, empty, not strings or
 * `"$undefined"` read as null. Undefined when there is no such user (`"user":null`,
 * `"user":"$undefined"`, a cut-off object, no flight data).
 *
 * @example
 * parseFlightUser('4:{"user":{"id":"u1","email":"$undefined"}}');
 * // { id: 'u1', email: null, touConsentTimestamp: null }
 */
export function parseFlightUser(text: string): FlightUser | undefined {
  for (const value of jsonValuesAfterKey(text, 'user')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    const user = { id: present(record.id), email: present(record.email), touConsentTimestamp: present(record.touConsentTimestamp) };
    if (user.id !== null || user.email !== null) return user;
  }
  return undefined;
}
