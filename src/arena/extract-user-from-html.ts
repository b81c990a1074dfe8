import { z } from 'zod';
import { decodeFlightText, jsonValuesAfterKey } from './flight-data.js';

/** The signed-in (or anonymous) user the page's flight data describes (§7). */
export interface ArenaPageUser {
  email: string | null;
  id: string | null;
  /** When the user accepted the terms of use; null until they do (§6.5). */
  touConsentTimestamp: string | null;
}

// RSC writes absent values as the string "$undefined".
const field = z
  .string()
  .nullish()
  .catch(null)
  .transform((value) => (value === undefined || value === '$undefined' || value === '' ? null : value));
const userSchema = z.object({ email: field, id: field, touConsentTimestamp: field });

/**
 * The first `"user":{…}` object in the page's flight data that carries an `id`, `email` or
 * `touConsentTimestamp`. Undefined when there is none (`"user":null`, `"$undefined"`, no flight data).
 */
export function extractUserFromHtml(html: string): ArenaPageUser | undefined {
  for (const text of [decodeFlightText(html), html]) {
    for (const value of jsonValuesAfterKey(text, 'user')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      if (!('id' in value) && !('email' in value) && !('touConsentTimestamp' in value)) continue;
      const parsed = userSchema.safeParse(value);
      if (parsed.success) return parsed.data;
    }
  }
  return undefined;
}
