/**
 * Resolves the configuration from flags, environment, files and defaults (in that order of
 * precedence). The caller passes argv and env in; this folder never reads process.env.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { BridgeConfig } from './bridge-config.js';
import { buildConfig } from './build-config.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { configWarnings } from './config-warnings.js';
import { deepFreeze } from './deep-freeze.js';
import { defaultDataDir } from './default-config.js';
import { CONFIG_PATH_ENV, CONFIG_PATH_FLAG, readEnvOverrides, readFlagOverrides } from './overrides.js';
import { firstExisting, isFile, readBesideFiles } from './read-beside-files.js';
import { readJsoncFile } from './read-jsonc-file.js';
import { readSettingsObject } from './settings-file.js';
import type { Settings } from './settings-schema.js';

/** What {@link loadConfig} reads. */
export interface LoadConfigInput {
  /** Command-line arguments after the command name; unrelated flags are ignored. */
  argv: readonly string[];
  /** The environment (`process.env` in the CLI; explicit in tests). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths in flags and variables resolve from, and where ./config.jsonc is looked for. */
  cwd: string;
  /** For `~` and the default data directory. */
  homeDir: string;
}

/** The result of {@link loadConfig}. */
export interface LoadedConfig {
  config: Readonly<BridgeConfig>;
  /** Non-fatal findings (unknown or retired keys, risky combinations), one sentence each. */
  warnings: string[];
  /** The files that were read, absolute. */
  sources: { configFile?: string; modelsFile?: string; endpointMapFile?: string };
}

/** The main settings file, JSON with comments. */
export const CONFIG_FILE_NAME = 'config.jsonc';

/**
 * Loads, validates and deep-freezes the configuration. Without `--config`/BRIDGE_CONFIG the file is
 * `./config.jsonc` if it exists, else `<data dir>/config.jsonc` if it exists, else defaults only;
 * models.json and model_endpoint_map.json are read beside it. Never writes any file.
 * @throws ConfigError listing every problem found in flags, variables and files.
 */
export async function loadConfig(input: LoadConfigInput): Promise<LoadedConfig> {
  const flags = readFlagOverrides(input.argv);
  const env = readEnvOverrides(input.env);
  const problems: ConfigProblem[] = [...flags.problems, ...env.problems];
  const warnings: string[] = [];
  const display = (path: string): string => displayPath(path, input.cwd);
  const absolute = (path: string, base: string): string => resolve(base, expandHome(path, input.homeDir));

  const overrideDataDir = flags.settings.data_dir ?? env.settings.data_dir;
  const lookupDataDir = overrideDataDir === undefined ? defaultDataDir(input) : absolute(overrideDataDir, input.cwd);

  const configFile = await locateConfigFile(input, flags.configPath, env.configPath, lookupDataDir, problems);
  let fileSettings: Settings = {};
  let fileDataDir: string | undefined;
  if (configFile !== undefined) {
    const parsed = await readJsoncFile(configFile, display(configFile));
    if (parsed.ok) {
      const result = readSettingsObject(parsed.value, display(configFile));
      problems.push(...result.problems);
      warnings.push(...result.warnings);
      fileSettings = result.settings;
      if (fileSettings.data_dir !== undefined) fileDataDir = absolute(fileSettings.data_dir, dirname(configFile));
    } else {
      problems.push(...parsed.problems);
    }
  }

  const besideDirs = configFile === undefined ? [input.cwd, lookupDataDir] : [dirname(configFile)];
  const beside = await readBesideFiles(besideDirs, display);
  problems.push(...beside.problems);
  warnings.push(...beside.warnings);

  const config = buildConfig({
    settings: { ...fileSettings, ...env.settings, ...flags.settings },
    dataDir: overrideDataDir === undefined && fileDataDir !== undefined ? fileDataDir : lookupDataDir,
    models: beside.models,
    endpointMap: beside.endpointMap,
  });
  if (problems.length > 0) throw new ConfigError(problems, deepFreeze(config));
  warnings.push(...configWarnings(config));
  return {
    config: deepFreeze(config),
    warnings,
    sources: {
      ...(configFile === undefined ? {} : { configFile }),
      ...(beside.modelsFile === undefined ? {} : { modelsFile: beside.modelsFile }),
      ...(beside.endpointMapFile === undefined ? {} : { endpointMapFile: beside.endpointMapFile }),
    },
  };
}

async function locateConfigFile(
  input: LoadConfigInput,
  flagPath: string | undefined,
  envPath: string | undefined,
  dataDir: string,
  problems: ConfigProblem[],
): Promise<string | undefined> {
  const explicit = flagPath ?? envPath;
  if (explicit !== undefined) {
    const path = resolve(input.cwd, expandHome(explicit, input.homeDir));
    if (await isFile(path)) return path;
    problems.push({
      source: flagPath === undefined ? CONFIG_PATH_ENV : `--${CONFIG_PATH_FLAG}`,
      path: '',
      message: `no config file at ${path}`,
      fix: 'Check the path, or leave it out to use ./config.jsonc or the defaults.',
    });
    return undefined;
  }
  return firstExisting([join(input.cwd, CONFIG_FILE_NAME), join(dataDir, CONFIG_FILE_NAME)]);
}

function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homeDir, path.slice(2));
  return path;
}

/** A path as the user would type it: relative to the working directory when inside it. */
function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
