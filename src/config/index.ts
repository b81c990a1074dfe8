/** Configuration: config.jsonc, models.json, model_endpoint_map.json, `BRIDGE_*` variables and flags → one frozen object. */
export type {
  ArenaConfig,
  BattleTarget,
  BridgeConfig,
  AccountsConfig,
  BrowserConfig,
  BrowserProfileConfig,
  CapturedIdsConfig,
  CapturedMode,
  ChatConfig,
  EndpointMapping,
  FileBedConfig,
  FileHostConfig,
  LoggingConfig,
  ModelCapabilities,
  ModelsFileEntry,
  ModelType,
  ServerConfig,
  WorkersConfig,
} from './bridge-config.js';
export { ConfigError, isConfigError, type ConfigProblem } from './config-error.js';
export { defaultConfig, defaultDataDir } from './default-config.js';
export { findChromium, type BrowserLookup, type FindChromiumOptions } from './find-browser.js';
export { CONFIG_FILE_NAME, loadConfig, type LoadConfigInput, type LoadedConfig } from './load-config.js';
export { ENDPOINT_MAP_FILE_NAME, MODELS_FILE_NAME } from './read-beside-files.js';
export { CONFIG_FLAG_OPTIONS, configFlagsHelp, OVERRIDES, type OverrideSpec } from './overrides.js';
export { readPackageVersion } from './package-version.js';
