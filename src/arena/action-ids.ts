import type { ServerActionName } from './constants.js';
import { decodeFlightText } from '../shared/flight-data.js';

/** The client module whose chunks hold the chat page's server-action references (§8.3). */
const EVALUATION_EXPORT = 'Evaluation';
const IMPORT_ROW = /^[0-9a-f]+:I\[/i;
/**
 * `("<40+ hex id>", …, "<name>")`: covers CloudWaddie's
 * `createServerReference)("<id>", x.callServer, void 0, x.findSourceMapURL, "<name>")` and the
 * generic pair g4f looks for. The gap may not contain parentheses, so a match stays in one call.
 */
const ACTION_REFERENCE = /\(\s*["']([0-9a-f]{40,})["']\s*,(?:[^()]{0,400}?,)?\s*["']([A-Za-z_$][\w$]*)["']\s*\)/g;
const ACTION_ID_LENGTH = 42;
const SITE_KEY_SCRIPTS: readonly string[] = ['recaptcha/enterprise.js?', 'recaptcha/api.js?'];

/**
 * The `/_next/…` paths of the JS chunks that the flight data's `I[…, "Evaluation"]` import rows
 * list (§8.3, method 1); the action ids are in those chunks.
 */
export function findEvaluationChunkPaths(html: string): string[] {
  const paths = new Set<string>();
  for (const line of decodeFlightText(html).split('\n')) {
    if (!IMPORT_ROW.test(line)) continue;
    let row: unknown;
    try {
      row = JSON.parse(line.slice(line.indexOf(':') + 2));
    } catch {
      continue;
    }
    if (!Array.isArray(row) || row[2] !== EVALUATION_EXPORT || !Array.isArray(row[1])) continue;
    for (const entry of row[1]) {
      if (typeof entry !== 'string' || !entry.includes('.js')) continue;
      const path = entry.replace(/^\/+/, '');
      paths.add(path.startsWith('_next/') ? `/${path}` : `/_next/${path}`);
    }
  }
  return [...paths];
}

/**
 * Server-action ids by action name, read from a site JS chunk (§8.3). Only 42-character ids are
 * kept (shorter hex strings are hashes of other things); the first id seen for a name wins.
 *
 * @example extractActionIds(chunk).generateUploadUrl // '7012303914af71fce235a732cde90253f7e2986f2b'
 */
export function extractActionIds(js: string): Partial<Record<ServerActionName | string, string>> {
  const ids: Partial<Record<string, string>> = {};
  for (const match of js.matchAll(ACTION_REFERENCE)) {
    const [, id, name] = match;
    if (id === undefined || name === undefined || id.length !== ACTION_ID_LENGTH) continue;
    if (!(name in ids)) ids[name] = id;
  }
  return ids;
}

/**
 * The reCAPTCHA site key from a `…/recaptcha/enterprise.js?render=<key>` (or `api.js?render=`)
 * script URL anywhere in the page, whatever the host. `render=explicit` is not a key.
 */
export function extractRecaptchaSiteKey(html: string): string | undefined {
  for (const script of SITE_KEY_SCRIPTS) {
    let from = 0;
    for (;;) {
      const at = html.indexOf(script, from);
      if (at === -1) break;
      from = at + script.length;
      const queryEnd = findQueryEnd(html, from);
      const query = html.slice(from, queryEnd).replaceAll('&amp;', '&');
      const key = new URLSearchParams(query).get('render');
      if (key !== null && key !== 'explicit' && /^[\w-]{20,}$/.test(key)) return key;
    }
  }
  return undefined;
}

/** The end of a URL query inside markup or an escaped JS string. */
function findQueryEnd(text: string, from: number): number {
  let at = from;
  while (at < text.length && !'"\'\\ <>\n#'.includes(text[at] ?? '"')) at += 1;
  return at;
}
