import type { BridgeConfig, EndpointMapping, ModelsFileEntry } from './bridge-config.js';
import { defaultConfig } from './default-config.js';
import type { Settings } from './settings-schema.js';

/** Everything resolved from the sources, ready to become a {@link BridgeConfig}. */
export interface ResolvedSources {
  settings: Settings;
  dataDir: string;
  models: ModelsFileEntry[];
  endpointMap: Record<string, EndpointMapping[]>;
}

/** Maps merged flat settings onto the grouped camelCase config, filling defaults. Not frozen. */
export function buildConfig(sources: ResolvedSources): BridgeConfig {
  const settings = sources.settings;
  const defaults = defaultConfig({ dataDir: sources.dataDir });
  return {
    server: {
      host: settings.host ?? defaults.server.host,
      port: settings.port ?? defaults.server.port,
      apiKey: emptyToUndefined(settings.api_key),
      corsOrigins: settings.cors_origins ?? defaults.server.corsOrigins,
      maxRequestBodyMb: settings.max_request_body_mb ?? defaults.server.maxRequestBodyMb,
      metricsEnabled: settings.metrics_enabled ?? defaults.server.metricsEnabled,
      allowedHosts: settings.allowed_hosts ?? defaults.server.allowedHosts,
      headersTimeoutSeconds: settings.headers_timeout_seconds ?? defaults.server.headersTimeoutSeconds,
      bodyTimeoutSeconds: settings.body_timeout_seconds ?? defaults.server.bodyTimeoutSeconds,
      maxConnectionsPerAddress: settings.max_connections_per_address ?? defaults.server.maxConnectionsPerAddress,
    },
    arena: {
      url: (settings.arena_url ?? defaults.arena.url).replace(/\/+$/, ''),
      protocol: settings.protocol ?? defaults.arena.protocol,
      directModeValue: settings.direct_mode_value ?? defaults.arena.directModeValue,
      recaptchaTokenPool: settings.recaptcha_token_pool ?? defaults.arena.recaptchaTokenPool,
      showStealthModels: settings.show_stealth_models ?? defaults.arena.showStealthModels,
      modelRefreshMinutes: settings.model_refresh_minutes ?? defaults.arena.modelRefreshMinutes,
    },
    capturedIds: {
      sessionId: emptyToUndefined(settings.session_id),
      messageId: emptyToUndefined(settings.message_id),
      mode: settings.id_updater_last_mode ?? defaults.capturedIds.mode,
      battleTarget: settings.id_updater_battle_target ?? defaults.capturedIds.battleTarget,
      useDefaultIdsIfMappingNotFound: settings.use_default_ids_if_mapping_not_found ?? defaults.capturedIds.useDefaultIdsIfMappingNotFound,
    },
    browser: {
      workers: settings.browser ?? defaults.browser.workers,
      executablePath: settings.browser_executable_path ?? defaults.browser.executablePath,
      headful: settings.browser_headful ?? defaults.browser.headful,
      proxy: emptyToUndefined(settings.browser_proxy),
      incognito: settings.browser_incognito ?? defaults.browser.incognito,
      profiles: (settings.browser_profiles ?? []).map((profile) =>
        typeof profile === 'string' ? { name: profile, pages: 1 } : { name: profile.name, pages: profile.pages ?? 1 },
      ),
    },
    workers: {
      maxConcurrency: settings.worker_max_concurrency ?? defaults.workers.maxConcurrency,
      maxConcurrencyHttp1: settings.worker_max_concurrency_http1 ?? defaults.workers.maxConcurrencyHttp1,
      maxConcurrencyHttp2: settings.worker_max_concurrency_http2 ?? defaults.workers.maxConcurrencyHttp2,
      queueLimit: settings.queue_limit ?? defaults.workers.queueLimit,
      queueTimeoutSeconds: settings.queue_timeout_seconds ?? defaults.workers.queueTimeoutSeconds,
      pingIntervalSeconds: settings.ping_interval_seconds ?? defaults.workers.pingIntervalSeconds,
    },
    accounts: {
      holdMinutes: settings.account_hold_minutes ?? defaults.accounts.holdMinutes,
      minIntervalSeconds: settings.account_min_interval_seconds ?? defaults.accounts.minIntervalSeconds,
      hourlyBudget: settings.account_hourly_budget ?? defaults.accounts.hourlyBudget,
      adaptivePacing: settings.account_adaptive_pacing ?? defaults.accounts.adaptivePacing,
    },
    chat: {
      tavernMode: settings.tavern_mode_enabled ?? defaults.chat.tavernMode,
      bypass: settings.bypass_enabled ?? defaults.chat.bypass,
      firstTokenTimeoutSeconds: settings.first_token_timeout_seconds ?? defaults.chat.firstTokenTimeoutSeconds,
      streamResponseTimeoutSeconds: settings.stream_response_timeout_seconds ?? defaults.chat.streamResponseTimeoutSeconds,
      retryAttempts: settings.retry_attempts ?? defaults.chat.retryAttempts,
      maxConversations: settings.max_conversations ?? defaults.chat.maxConversations,
      unhealthySessionRestMinutes: settings.unhealthy_session_rest_minutes ?? defaults.chat.unhealthySessionRestMinutes,
      promptCharacterLimit: settings.prompt_character_limit ?? defaults.chat.promptCharacterLimit,
    },
    fileBed: {
      enabled: settings.file_bed_enabled ?? defaults.fileBed.enabled,
      uploadUrl: settings.file_bed_upload_url ?? defaults.fileBed.uploadUrl,
      apiKey: emptyToUndefined(settings.file_bed_api_key),
    },
    fileHost: {
      enabled: settings.file_host_enabled ?? defaults.fileHost.enabled,
      publicUrl: settings.file_host_public_url?.replace(/\/+$/, ''),
      maxMb: settings.file_host_max_mb ?? defaults.fileHost.maxMb,
      ttlMinutes: settings.file_host_ttl_minutes ?? defaults.fileHost.ttlMinutes,
      uploadKey: emptyToUndefined(settings.file_host_upload_key),
      saveGeneratedImages: settings.save_generated_images ?? defaults.fileHost.saveGeneratedImages,
    },
    logging: { level: settings.log_level ?? defaults.logging.level, format: settings.log_format ?? defaults.logging.format },
    dataDir: sources.dataDir,
    models: sources.models,
    endpointMap: sources.endpointMap,
  };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
