import { closestKey } from './closest-key.js';
import type { ConfigProblem } from './config-error.js';
import { EXPECTED, RETIRED_KEYS, SETTING_KEYS, SILENT_KEYS, type Settings } from './settings-schema.js';
import { validateSettings } from './validate-settings.js';

/** What one config.jsonc contributed. */
export interface SettingsFileResult {
  settings: Settings;
  problems: ConfigProblem[];
  warnings: string[];
}

/**
 * Checks the parsed content of config.jsonc: known keys are validated, the original's retired keys
 * and unknown keys become warnings (never failures), and `null` means "use the default".
 */
export function readSettingsObject(value: unknown, source: string): SettingsFileResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      settings: {},
      warnings: [],
      problems: [
        {
          source,
          path: '',
          message: `expected an object of settings ({ "port": 5102, ... }), got ${Array.isArray(value) ? 'a list' : typeof value}`,
          fix: 'Wrap the settings in { } (see config.example.jsonc).',
        },
      ],
    };
  }
  const known: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null || SILENT_KEYS.includes(key)) continue;
    if (key in EXPECTED) {
      known[key] = entry;
    } else if (key in RETIRED_KEYS) {
      warnings.push(`${source}: "${key}" is ignored: ${RETIRED_KEYS[key]}.`);
    } else {
      const suggestion = closestKey(key, [...SETTING_KEYS, ...Object.keys(RETIRED_KEYS)]);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      warnings.push(`${source}: unknown key "${key}" is ignored${hint}.`);
    }
  }
  const { settings, problems } = validateSettings(known, (key) => ({
    source,
    path: key,
    fix: `Set "${key}" to ${EXPECTED[key]}, or remove it to use the default.`,
  }));
  return { settings, problems, warnings };
}
