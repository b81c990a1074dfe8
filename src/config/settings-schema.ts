/**
 * The keys of config.jsonc, flat and snake_case as in the file, with one zod schema each. Flags and
 * environment variables are validated with the same per-key schemas, so a value means the same
 * thing wherever it comes from. Defaults live in default-config.ts, not here: a key that is absent
 * stays absent so that precedence can be applied after validation.
 */
import { z } from 'zod';

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  if (!URL.canParse(value)) return false;
  return protocols.includes(new URL(value).protocol);
}

const httpUrl = z.string().refine((value) => isUrlWithProtocol(value, ['http:', 'https:']));
const nonEmpty = z.string().trim().min(1);
const positive = z.number().positive().finite();
/** A profile name: also a directory name under the data dir, so no separators or dots. */
const profileName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i);
const upperCase = (value: unknown): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

/** One schema for every known key of config.jsonc; all optional. */
export const settingsSchema = z.object({
  session_id: z.string(),
  message_id: z.string(),
  id_updater_last_mode: z.enum(['direct_chat', 'battle']),
  id_updater_battle_target: z.preprocess(upperCase, z.enum(['A', 'B'])),
  use_default_ids_if_mapping_not_found: z.boolean(),
  api_key: z.string(),
  tavern_mode_enabled: z.boolean(),
  bypass_enabled: z.boolean(),
  file_bed_enabled: z.boolean(),
  file_bed_upload_url: httpUrl,
  file_bed_api_key: z.string(),
  stream_response_timeout_seconds: positive,
  host: nonEmpty,
  port: z.number().int().min(0).max(65535),
  arena_url: httpUrl,
  data_dir: nonEmpty,
  browser: z.union([z.enum(['auto', 'off']), z.number().int().min(1).max(32)]),
  browser_executable_path: nonEmpty,
  browser_headful: z.boolean(),
  browser_proxy: z.string().refine((value) => isUrlWithProtocol(value, ['http:', 'https:', 'socks4:', 'socks5:'])),
  browser_incognito: z.boolean(),
  log_level: z.enum(['off', 'error', 'warn', 'info', 'debug']),
  log_format: z.enum(['auto', 'text', 'json']),
  cors_origins: z.array(z.string().refine((value) => value === '*' || isUrlWithProtocol(value, ['http:', 'https:']))),
  max_request_body_mb: positive.max(1024),
  metrics_enabled: z.boolean(),
  worker_max_concurrency: z.number().int().min(1).max(256),
  worker_max_concurrency_http1: z.number().int().min(1).max(64),
  worker_max_concurrency_http2: z.number().int().min(1).max(256),
  queue_limit: z.number().int().min(0),
  queue_timeout_seconds: positive,
  first_token_timeout_seconds: positive,
  retry_attempts: z.number().int().min(1).max(10),
  max_conversations: z.number().int().min(1).max(1_000_000),
  unhealthy_session_rest_minutes: z.number().min(0).finite(),
  direct_mode_value: z.enum(['direct', 'direct-battle']),
  recaptcha_token_pool: z.number().int().min(0).max(16),
  protocol: z.enum(['current', 'retry-replay']),
  show_stealth_models: z.boolean(),
  model_refresh_minutes: z.number().min(0).finite(),
  file_host_enabled: z.boolean(),
  file_host_public_url: httpUrl,
  file_host_max_mb: positive,
  file_host_ttl_minutes: positive,
  file_host_upload_key: z.string(),
  save_generated_images: z.boolean(),
  ping_interval_seconds: z.number().min(1).max(3600),
  browser_profiles: z.array(
    z.union([
      profileName,
      z.strictObject({ name: profileName, pages: z.number().int().min(1).max(32).optional() }),
    ]),
  ).max(32).refine((profiles) => new Set(profiles.map((profile) => (typeof profile === 'string' ? profile : profile.name))).size === profiles.length),
  account_hold_minutes: positive.max(24 * 60),
  account_min_interval_seconds: z.number().min(0).max(3600).finite(),
  account_hourly_budget: z.number().int().min(0).max(100_000),
  account_adaptive_pacing: z.boolean(),
  prompt_character_limit: z.number().int().min(1000).max(10_000_000),
  allowed_hosts: z.array(z.string().trim().regex(/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i)),
  headers_timeout_seconds: z.number().min(1).max(600),
  body_timeout_seconds: z.number().min(0).max(24 * 3600),
  max_connections_per_address: z.number().int().min(0).max(100_000),
}).partial();

/** Validated settings from one source (file, environment or flags). */
export type Settings = z.infer<typeof settingsSchema>;

/** A key of config.jsonc. */
export type SettingKey = keyof Settings;

/** What each key accepts, in words, for problem messages. */
export const EXPECTED: Readonly<Record<SettingKey, string>> = {
  session_id: 'a string (a captured session id, or "")',
  message_id: 'a string (a captured message id, or "")',
  id_updater_last_mode: '"direct_chat" or "battle"',
  id_updater_battle_target: '"A" or "B"',
  use_default_ids_if_mapping_not_found: 'true or false',
  api_key: 'a string ("" for no key)',
  tavern_mode_enabled: 'true or false',
  bypass_enabled: 'true or false',
  file_bed_enabled: 'true or false',
  file_bed_upload_url: 'an http(s) URL such as "http://127.0.0.1:5180/upload"',
  file_bed_api_key: 'a string',
  stream_response_timeout_seconds: 'a number of seconds greater than 0',
  host: 'a host name or IP address such as "127.0.0.1"',
  port: 'an integer from 0 to 65535',
  arena_url: 'an http(s) URL such as "https://arena.ai"',
  data_dir: 'a directory path',
  browser: '"auto", "off" or a number of browsers from 1 to 32',
  browser_executable_path: 'the path of a Chromium-family executable',
  browser_headful: 'true or false',
  browser_proxy: 'a proxy URL such as "http://127.0.0.1:3128" or "socks5://127.0.0.1:1080"',
  browser_incognito: 'true or false',
  log_level: '"off", "error", "warn", "info" or "debug"',
  log_format: '"auto", "text" or "json"',
  cors_origins: 'a list of origins such as ["http://localhost:5173"], or ["*"]',
  max_request_body_mb: 'a number of MiB greater than 0 and at most 1024',
  metrics_enabled: 'true or false',
  worker_max_concurrency: 'an integer from 1 to 256, or null for no cap',
  worker_max_concurrency_http1: 'an integer from 1 to 64',
  worker_max_concurrency_http2: 'an integer from 1 to 256',
  queue_limit: 'an integer of 0 or more',
  queue_timeout_seconds: 'a number of seconds greater than 0',
  first_token_timeout_seconds: 'a number of seconds greater than 0',
  retry_attempts: 'an integer from 1 to 10',
  max_conversations: 'an integer from 1 to 1000000',
  unhealthy_session_rest_minutes: 'a number of minutes, 0 or more',
  direct_mode_value: '"direct" or "direct-battle"',
  recaptcha_token_pool: 'an integer from 0 to 16',
  protocol: '"current" or "retry-replay"',
  show_stealth_models: 'true or false',
  model_refresh_minutes: 'a number of minutes, 0 or more (0 = only at start)',
  file_host_enabled: 'true or false',
  file_host_public_url: 'an http(s) URL such as "https://files.example.com"',
  file_host_max_mb: 'a number of MiB greater than 0',
  file_host_ttl_minutes: 'a number of minutes greater than 0',
  file_host_upload_key: 'a string',
  save_generated_images: 'true or false',
  ping_interval_seconds: 'a number of seconds from 1 to 3600',
  browser_profiles: 'a list of distinct profile names (letters, digits, "-" and "_", at most 40) or {"name": "…", "pages": 1} objects, at most 32',
  account_hold_minutes: 'a number of minutes greater than 0 and at most 1440',
  account_min_interval_seconds: 'a number of seconds from 0 to 3600 (0 = no fixed spacing)',
  account_hourly_budget: 'an integer of 0 or more (0 = no hourly budget)',
  account_adaptive_pacing: 'true or false',
  prompt_character_limit: 'an integer from 1000 to 10000000',
  allowed_hosts: 'a list of host names (optionally with :port, or *.domain) such as ["bridge.example.com"]',
  headers_timeout_seconds: 'a number of seconds from 1 to 600',
  body_timeout_seconds: 'a number of seconds from 0 to 86400 (0 = derived from max_request_body_mb)',
  max_connections_per_address: 'an integer of 0 or more (0 = no cap)',
};

/** Every key config.jsonc may contain with a meaning. */
export const SETTING_KEYS = Object.keys(EXPECTED) as SettingKey[];

/**
 * Keys of the Python original that no longer mean anything, with the reason given in the warning.
 * They are accepted so that an old config.jsonc keeps working.
 */
export const RETIRED_KEYS: Readonly<Record<string, string>> = {
  version: 'the version comes from the installed package',
  enable_auto_update: 'update with npm instead (npm install -g lmarena-bridge@latest)',
  enable_idle_restart: 'the bridge no longer restarts itself when idle; workers reconnect on their own',
  idle_restart_timeout_seconds: 'the bridge no longer restarts itself when idle; workers reconnect on their own',
  enable_comprehensive_logging: 'set "log_level": "debug" for detailed logs',
};

/** Keys accepted silently without meaning (editor hints). */
export const SILENT_KEYS: readonly string[] = ['$schema'];
