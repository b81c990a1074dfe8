/**
 * The typed, camelCase shape of the bridge's configuration. Files keep the original snake_case key
 * names (docs/configuration.md); this is what the rest of the program receives, frozen.
 */
import type { LogFormat, LogLevel } from '../observability/logger.js';

/** The Gen A mode a session/message id pair was captured in. */
export type CapturedMode = 'direct_chat' | 'battle';

/** Which side of a battle to stream. */
export type BattleTarget = 'A' | 'B';

/** What kind of output a model produces. */
export type ModelType = 'text' | 'image' | 'search' | 'video';

/** Capabilities as arena model objects describe them (arena-protocol.md §9.3). */
export interface ModelCapabilities {
  inputCapabilities?: Readonly<Record<string, unknown>>;
  outputCapabilities?: Readonly<Record<string, unknown>>;
}

/** One normalised models.json entry. */
export interface ModelsFileEntry {
  /** The name clients send as `model`. */
  name: string;
  /** The arena model id; `null` for entries such as `"null:image"` that have none. */
  id: string | null;
  /** @default 'text' (or what `capabilities.outputCapabilities` implies) */
  type: ModelType;
  capabilities?: ModelCapabilities;
  /** The arena `publicName` this entry is another name for. */
  aliasOf?: string;
}

/** One captured session/message pair (model_endpoint_map.json, retry-replay protocol). */
export interface EndpointMapping {
  sessionId: string;
  messageId: string;
  /** Falls back to {@link CapturedIdsConfig.mode} when absent. */
  mode?: CapturedMode;
  /** Falls back to {@link CapturedIdsConfig.battleTarget} when absent. */
  battleTarget?: BattleTarget;
}

/** The HTTP server. */
export interface ServerConfig {
  /** Address to bind (`host`, `--host`, `BRIDGE_HOST`). @default '127.0.0.1' */
  host: string;
  /** Port to bind; 0 picks a free one (`port`, `--port`, `BRIDGE_PORT`). @default 5102 */
  port: number;
  /** Bearer key clients must send; `undefined` = no key (`api_key`, `--api-key`, `BRIDGE_API_KEY`). @default undefined */
  apiKey: string | undefined;
  /** Origins allowed by CORS; empty = CORS off (`cors_origins`). @default [] */
  corsOrigins: readonly string[];
  /** Largest accepted request body, in MiB (`max_request_body_mb`); larger bodies get 413 before they are read. @default 16 */
  maxRequestBodyMb: number;
  /** Serve Prometheus metrics at `GET /metrics` (`metrics_enabled`). @default true */
  metricsEnabled: boolean;
  /**
   * `Host` values accepted besides loopback names with the bridge's port and the public URL's
   * host (`allowed_hosts`); any other Host is refused, against DNS rebinding. @default []
   */
  allowedHosts: readonly string[];
  /** Longest time a client may take to send the request head (`headers_timeout_seconds`). @default 20 */
  headersTimeoutSeconds: number;
  /**
   * Longest time a client may take to send a whole request (`body_timeout_seconds`); 0 derives it
   * from `max_request_body_mb` so the largest body still fits on a slow link. @default 0
   */
  bodyTimeoutSeconds: number;
  /** Open connections one client address may hold; 0 = no cap (`max_connections_per_address`). @default 256 */
  maxConnectionsPerAddress: number;
}

/** The upstream site and how the bridge speaks to it. */
export interface ArenaConfig {
  /** Origin of the site, without trailing slash (`arena_url`, `--arena-url`, `BRIDGE_ARENA_URL`). @default 'https://arena.ai' */
  url: string;
  /**
   * `current`: create-evaluation / post-to-evaluation. `retry-replay`: the original bridge's replay
   * of captured ids (Gen A). (`protocol`) @default 'current'
   */
  protocol: 'current' | 'retry-replay';
  /**
   * The `mode` value a new single-model evaluation starts with (`direct_mode_value`). When the site
   * refuses it, the bridge switches to the other value and remembers that in the data directory.
   * @default 'direct-battle'
   */
  directModeValue: 'direct' | 'direct-battle';
  /**
   * reCAPTCHA v3 tokens each page keeps minted ahead per action, so a request does not wait for
   * one; 0 mints every token on the request path (`recaptcha_token_pool`). @default 2
   */
  recaptchaTokenPool: number;
  /** List anonymous models without an organization (`show_stealth_models`). @default false */
  showStealthModels: boolean;
  /** Minutes between model-list refreshes; 0 = only at start (`model_refresh_minutes`). @default 30 */
  modelRefreshMinutes: number;
}

/** Ids captured from the site's Retry button, for the `retry-replay` protocol. */
export interface CapturedIdsConfig {
  /** Global session id (`session_id`); `undefined` when empty. @default undefined */
  sessionId: string | undefined;
  /** Global message id (`message_id`); `undefined` when empty. @default undefined */
  messageId: string | undefined;
  /** Mode the global ids were captured in (`id_updater_last_mode`). @default 'direct_chat' */
  mode: CapturedMode;
  /** Battle side of the global ids (`id_updater_battle_target`). @default 'A' */
  battleTarget: BattleTarget;
  /** Use the global ids for a model without a mapping (`use_default_ids_if_mapping_not_found`). @default true */
  useDefaultIdsIfMappingNotFound: boolean;
}

/** Browser workers the bridge launches itself (playwright-core Chromium). */
export interface BrowserConfig {
  /**
   * `auto`: launch one Chromium worker when a browser is found; `off`: never launch (userscript
   * workers only); a number: launch that many (`browser`, `--browser`, `BRIDGE_BROWSER`).
   * @default 'auto'
   */
  workers: 'auto' | 'off' | number;
  /** Chromium-family executable (`browser_executable_path`, `--browser-path`, `BRIDGE_BROWSER_PATH`). @default undefined (searched) */
  executablePath: string | undefined;
  /** Show the browser window (`browser_headful`, `--headful`). @default false */
  headful: boolean;
  /** Proxy server for the browser, e.g. `http://host:3128` (`browser_proxy`). @default undefined */
  proxy: string | undefined;
  /** Use a throw-away profile instead of the one in the data dir (`browser_incognito`). @default false */
  incognito: boolean;
  /**
   * Named browser profiles, one arena account each (`browser_profiles`); `serve` launches one
   * Chromium per profile and `login --account NAME` signs one in. Empty: the single default profile.
   * @default []
   */
  profiles: readonly BrowserProfileConfig[];
}

/** One named browser profile (`browser_profiles` entry). */
export interface BrowserProfileConfig {
  /** Letters, digits, `-` and `_`; the profile lives in `<data dir>/browser-profiles/<name>`. */
  name: string;
  /** Pages (workers) this profile's Chromium opens. @default 1 */
  pages: number;
}

/** Per arena account: holds after the site's security flag, and pacing (protocol §15.4). */
export interface AccountsConfig {
  /** How long an account is held when the site gives no `retry-after` (`account_hold_minutes`). @default 20 */
  holdMinutes: number;
  /** Fixed spacing between two requests of one account, in seconds; 0 = none (`account_min_interval_seconds`). @default 0 */
  minIntervalSeconds: number;
  /** Requests one account may start per rolling hour; 0 = no budget (`account_hourly_budget`). @default 0 */
  hourlyBudget: number;
  /** Learn a spacing for an account that was held, relaxed while it serves cleanly (`account_adaptive_pacing`). @default true */
  adaptivePacing: boolean;
}

/** The worker pool and its queue. */
export interface WorkersConfig {
  /**
   * A hard cap on the concurrent jobs of every worker page, whatever its protocol;
   * `undefined` = the protocol's limit alone (`worker_max_concurrency`). @default undefined
   */
  maxConcurrency: number | undefined;
  /**
   * Concurrent jobs of a page the site serves over HTTP/1.1 or an unknown protocol: Chromium opens
   * at most 6 connections per host (`worker_max_concurrency_http1`). @default 6
   */
  maxConcurrencyHttp1: number;
  /** Concurrent jobs of a page on HTTP/2 or HTTP/3, many streams over one connection (`worker_max_concurrency_http2`). @default 64 */
  maxConcurrencyHttp2: number;
  /** Requests that may wait for a worker; more are refused at once (`queue_limit`). @default 64 */
  queueLimit: number;
  /** Longest wait for a free worker, in seconds (`queue_timeout_seconds`). @default 30 */
  queueTimeoutSeconds: number;
  /** Heartbeat interval of worker connections and SSE pings, in seconds (`ping_interval_seconds`). @default 15 */
  pingIntervalSeconds: number;
}

/** How chat requests are carried out. */
export interface ChatConfig {
  /** Merge all system messages into one, placed first (`tavern_mode_enabled`). @default false */
  tavernMode: boolean;
  /** Append an empty user turn for text models, retry-replay only (`bypass_enabled`). @default false */
  bypass: boolean;
  /** Deadline for a request's first output, retries included, in seconds (`first_token_timeout_seconds`). @default 120 */
  firstTokenTimeoutSeconds: number;
  /** Longest silence between upstream chunks once streaming, in seconds (`stream_response_timeout_seconds`). @default 360 */
  streamResponseTimeoutSeconds: number;
  /** Attempts before the first output, the first included (`retry_attempts`). @default 3 */
  retryAttempts: number;
  /** Conversation states kept in the data dir; the least recently used are dropped (`max_conversations`). @default 1000 */
  maxConversations: number;
  /** Minutes a model_endpoint_map.json entry the arena refused is skipped (`unhealthy_session_rest_minutes`). @default 10 */
  unhealthySessionRestMinutes: number;
  /** Longest prompt sent as one message, in characters; longer histories go up as a file (`prompt_character_limit`). @default 50000 */
  promptCharacterLimit: number;
}

/** An external file bed of the original's kind (attachments uploaded there, sent as URLs). */
export interface FileBedConfig {
  /** (`file_bed_enabled`) @default false */
  enabled: boolean;
  /** Upload endpoint (`file_bed_upload_url`). @default 'http://127.0.0.1:5180/upload' */
  uploadUrl: string;
  /** Key sent with each upload (`file_bed_api_key`). @default undefined */
  apiKey: string | undefined;
}

/** The bridge's own built-in file host (replaces the separate file bed server). */
export interface FileHostConfig {
  /** (`file_host_enabled`) @default false */
  enabled: boolean;
  /** Public base URL the arena can fetch files from (`file_host_public_url`). @default undefined (the bridge's own URL) */
  publicUrl: string | undefined;
  /** Largest stored file, in MiB (`file_host_max_mb`). @default 50 */
  maxMb: number;
  /** Minutes a file is kept (`file_host_ttl_minutes`). @default 60 */
  ttlMinutes: number;
  /** Key required by the original-compatible `/upload` endpoint (`file_host_upload_key`). @default undefined */
  uploadKey: string | undefined;
  /** Keep copies of generated images in the data dir, served under `/files/<id>` (`save_generated_images`). @default false */
  saveGeneratedImages: boolean;
}

/** Logging. */
export interface LoggingConfig {
  /** (`log_level`, `--log-level`, `BRIDGE_LOG_LEVEL`) @default 'info' */
  level: LogLevel;
  /**
   * `text` (readable lines), `json` (JSON lines), or `auto`: text when stderr is a terminal, JSON
   * otherwise (`log_format`, `--log-format`, `BRIDGE_LOG_FORMAT`). @default 'auto'
   */
  format: 'auto' | LogFormat;
}

/** The whole configuration, validated and deep-frozen. */
export interface BridgeConfig {
  server: ServerConfig;
  arena: ArenaConfig;
  capturedIds: CapturedIdsConfig;
  browser: BrowserConfig;
  workers: WorkersConfig;
  accounts: AccountsConfig;
  chat: ChatConfig;
  fileBed: FileBedConfig;
  fileHost: FileHostConfig;
  logging: LoggingConfig;
  /**
   * Where state lives: database, browser profile, uploads (`data_dir`, `--data-dir`,
   * `BRIDGE_DATA_DIR`). Absolute. @default `$XDG_DATA_HOME/lmarena-bridge` or `~/.local/share/lmarena-bridge`
   */
  dataDir: string;
  /** models.json entries, in file order. @default [] */
  models: readonly ModelsFileEntry[];
  /** model_endpoint_map.json: model name → pool of captured ids (a single object becomes a pool of one). @default {} */
  endpointMap: Readonly<Record<string, readonly EndpointMapping[]>>;
}
