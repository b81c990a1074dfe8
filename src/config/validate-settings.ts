import type { ConfigProblem } from './config-error.js';
import { EXPECTED, settingsSchema, type SettingKey, type Settings } from './settings-schema.js';

/** Where a rejected key came from, for its problem line. */
export interface SettingLocation {
  source: string;
  path: string;
  fix: string;
}

/**
 * Validates known keys (already separated from unknown ones) and reports every rejected value,
 * each located by `locate` so it names the file key, the flag or the environment variable.
 * `settings` holds the accepted keys even when some were rejected.
 */
export function validateSettings(
  values: Readonly<Record<string, unknown>>,
  locate: (key: SettingKey) => SettingLocation,
): { settings: Settings; problems: ConfigProblem[] } {
  const result = settingsSchema.safeParse(values);
  if (result.success) return { settings: result.data, problems: [] };
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key !== 'string' || !(key in EXPECTED)) continue;
    const rest = issue.path.slice(1);
    const identity = [key, ...rest].map(String).join('.');
    if (seen.has(identity)) continue;
    seen.add(identity);
    const location = locate(key as SettingKey);
    const got = rest.reduce<unknown>((value, segment) => pick(value, segment), values[key]);
    problems.push({
      source: location.source,
      path: location.path + rest.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join(''),
      message: `expected ${EXPECTED[key as SettingKey]}, got ${show(got)}`,
      fix: location.fix,
    });
  }
  // Keep the accepted keys, so diagnostics (doctor) can go on with a best-effort configuration.
  const rejected = new Set(result.error.issues.map((issue) => issue.path[0]));
  const accepted = Object.fromEntries(Object.entries(values).filter(([key]) => !rejected.has(key)));
  const retry = settingsSchema.safeParse(accepted);
  return { settings: retry.success ? retry.data : {}, problems };
}

function pick(value: unknown, segment: PropertyKey): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as Record<PropertyKey, unknown>)[segment];
}

/** A short rendering of a rejected value. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
