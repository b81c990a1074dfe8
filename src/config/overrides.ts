import { parseArgs } from 'node:util';
import type { ConfigProblem } from './config-error.js';
import { EXPECTED, type SettingKey, type Settings } from './settings-schema.js';
import { validateSettings } from './validate-settings.js';

type ValueKind = 'string' | 'integer' | 'boolean' | 'browser';

/** A setting that can also come from a command-line flag and an environment variable. */
export interface OverrideSpec {
  key: SettingKey;
  /** Flag name without dashes. */
  flag: string;
  env: string;
  kind: ValueKind;
  /** One line for --help. */
  help: string;
}

/** The settings that flags and `BRIDGE_*` variables can set (precedence: flag > env > file > default). */
export const OVERRIDES: readonly OverrideSpec[] = [
  { key: 'host', flag: 'host', env: 'BRIDGE_HOST', kind: 'string', help: 'address to bind (default 127.0.0.1)' },
  { key: 'port', flag: 'port', env: 'BRIDGE_PORT', kind: 'integer', help: 'port to bind (default 5102)' },
  { key: 'arena_url', flag: 'arena-url', env: 'BRIDGE_ARENA_URL', kind: 'string', help: 'arena origin (default https://arena.ai)' },
  { key: 'data_dir', flag: 'data-dir', env: 'BRIDGE_DATA_DIR', kind: 'string', help: 'state directory (default ~/.local/share/lmarena-bridge)' },
  { key: 'api_key', flag: 'api-key', env: 'BRIDGE_API_KEY', kind: 'string', help: 'key clients must send as Bearer token' },
  { key: 'browser', flag: 'browser', env: 'BRIDGE_BROWSER', kind: 'browser', help: 'auto | off | number of Chromium workers' },
  { key: 'log_level', flag: 'log-level', env: 'BRIDGE_LOG_LEVEL', kind: 'string', help: 'off | error | warn | info | debug' },
  { key: 'log_format', flag: 'log-format', env: 'BRIDGE_LOG_FORMAT', kind: 'string', help: 'auto | text | json (auto: text on a terminal)' },
  { key: 'browser_headful', flag: 'headful', env: 'BRIDGE_HEADFUL', kind: 'boolean', help: 'show the browser window' },
  { key: 'browser_executable_path', flag: 'browser-path', env: 'BRIDGE_BROWSER_PATH', kind: 'string', help: 'Chromium executable to use' },
];

/** The flag and variable naming the config file; models.json and model_endpoint_map.json sit beside it. */
export const CONFIG_PATH_FLAG = 'config';
export const CONFIG_PATH_ENV = 'BRIDGE_CONFIG';

/** node:util parseArgs options for every configuration flag, for commands to merge into their own. */
export const CONFIG_FLAG_OPTIONS: Readonly<Record<string, { type: 'string' | 'boolean' }>> = Object.freeze(
  Object.fromEntries([
    [CONFIG_PATH_FLAG, { type: 'string' as const }],
    ...OVERRIDES.map((spec) => [spec.flag, { type: spec.kind === 'boolean' ? ('boolean' as const) : ('string' as const) }]),
  ]),
);

/** Help lines for the configuration flags. */
export function configFlagsHelp(): string {
  const rows: [string, string][] = [
    [`--${CONFIG_PATH_FLAG} <file>`, `config.jsonc to read (env ${CONFIG_PATH_ENV})`],
    ...OVERRIDES.map((spec): [string, string] => [
      `--${spec.flag}${spec.kind === 'boolean' ? '' : ' <value>'}`,
      `${spec.help} (env ${spec.env})`,
    ]),
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

/** What flags or environment contributed. */
export interface OverrideResult {
  settings: Settings;
  configPath: string | undefined;
  problems: ConfigProblem[];
}

/** Reads the configuration flags from argv; other flags and positionals are left to the command. */
export function readFlagOverrides(argv: readonly string[]): OverrideResult {
  const { values } = parseArgs({ args: [...argv], options: CONFIG_FLAG_OPTIONS, strict: false, allowPositionals: true });
  const problems: ConfigProblem[] = [];
  const raw: Record<string, unknown> = {};
  const configPath = values[CONFIG_PATH_FLAG];
  if (configPath === true) problems.push(missingValue(`--${CONFIG_PATH_FLAG}`, 'a file path'));
  for (const spec of OVERRIDES) {
    const value = values[spec.flag];
    if (value === undefined) continue;
    if (value === true && spec.kind !== 'boolean') {
      problems.push(missingValue(`--${spec.flag}`, EXPECTED[spec.key]));
      continue;
    }
    raw[spec.key] = coerce(value, spec.kind);
  }
  const flagOf = new Map(OVERRIDES.map((spec) => [spec.key, spec.flag]));
  const checked = validateSettings(raw, (key) => ({
    source: `--${flagOf.get(key) ?? key}`,
    path: '',
    fix: `Pass --${flagOf.get(key) ?? key} ${EXPECTED[key]}.`,
  }));
  return {
    settings: checked.settings,
    configPath: typeof configPath === 'string' ? configPath : undefined,
    problems: [...problems, ...checked.problems],
  };
}

/** Reads `BRIDGE_*` variables; empty values count as unset. */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): OverrideResult {
  const raw: Record<string, unknown> = {};
  for (const spec of OVERRIDES) {
    const value = env[spec.env];
    if (value === undefined || value === '') continue;
    raw[spec.key] = coerce(value, spec.kind);
  }
  const envOf = new Map(OVERRIDES.map((spec) => [spec.key, spec.env]));
  const checked = validateSettings(raw, (key) => ({
    source: envOf.get(key) ?? key,
    path: '',
    fix: `Set ${envOf.get(key) ?? key} to ${EXPECTED[key]}, or unset it.`,
  }));
  const configPath = env[CONFIG_PATH_ENV];
  return { settings: checked.settings, configPath: configPath === '' ? undefined : configPath, problems: checked.problems };
}

/** Turns flag/env text into the JSON type the file would hold; invalid text is left for zod to reject. */
function coerce(value: string | boolean, kind: ValueKind): unknown {
  if (typeof value === 'boolean') return value;
  const text = value.trim();
  switch (kind) {
    case 'string':
      return value;
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : value;
    case 'browser':
      return /^\d+$/.test(text) ? Number(text) : text.toLowerCase();
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
      if (['0', 'false', 'no', 'off'].includes(lower)) return false;
      return value;
    }
  }
}

function missingValue(flag: string, expected: string): ConfigProblem {
  return { source: flag, path: '', message: 'needs a value', fix: `Pass ${flag} followed by ${expected}.` };
}
