import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { isConfigError, type ConfigError } from './config-error.js';
import { defaultConfig } from './default-config.js';
import { loadConfig, type LoadConfigInput } from './load-config.js';

const tempDir = useTempDir('bridge-config-');
let root = '';
let cwd = '';
let home = '';

beforeEach(async () => {
  root = tempDir();
  cwd = join(root, 'work');
  home = join(root, 'home');
  await mkdir(cwd, { recursive: true });
  await mkdir(home, { recursive: true });
});

function input(overrides: Partial<LoadConfigInput> = {}): LoadConfigInput {
  return { argv: [], env: {}, cwd, homeDir: home, ...overrides };
}

async function loadError(options: Partial<LoadConfigInput>): Promise<ConfigError> {
  const error: unknown = await loadConfig(input(options)).catch((caught: unknown) => caught);
  expect(isConfigError(error)).toBe(true);
  return error as ConfigError;
}

describe('loadConfig', () => {
  it('returns the defaults when there is no file, flag or variable', async () => {
    const loaded = await loadConfig(input());
    const expected = defaultConfig({ dataDir: join(home, '.local', 'share', 'lmarena-bridge') });
    expect(loaded.config).toEqual(expected);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.sources).toEqual({});
  });

  it('deep-freezes the result', async () => {
    const { config } = await loadConfig(input());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.server.corsOrigins)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('reads ./config.jsonc with comments and trailing commas, keeping the original key names', async () => {
    await writeFile(
      join(cwd, 'config.jsonc'),
      `{
        // captured by the original's id_updater.py
        "session_id": "s-1",
        "message_id": "m-1",
        "id_updater_last_mode": "battle",
        "id_updater_battle_target": "b",
        "use_default_ids_if_mapping_not_found": false,
        "api_key": "secret",
        "tavern_mode_enabled": true,
        "bypass_enabled": true,
        "file_bed_enabled": true,
        "file_bed_upload_url": "http:\\/\\/127.0.0.1:5180/upload",
        "stream_response_timeout_seconds": 60,
        "protocol": "retry-replay",
        "cors_origins": ["http://localhost:5173"],
        "arena_url": "http://127.0.0.1:5107/",
        "browser": 2,
      }`,
    );
    const { config, sources, warnings } = await loadConfig(input());
    expect(sources.configFile).toBe(join(cwd, 'config.jsonc'));
    expect(config.capturedIds).toEqual({
      sessionId: 's-1',
      messageId: 'm-1',
      mode: 'battle',
      battleTarget: 'B',
      useDefaultIdsIfMappingNotFound: false,
    });
    expect(config.server.apiKey).toBe('secret');
    expect(config.chat).toMatchObject({ tavernMode: true, bypass: true, streamResponseTimeoutSeconds: 60 });
    expect(config.fileBed).toEqual({ enabled: true, uploadUrl: 'http://127.0.0.1:5180/upload', apiKey: undefined });
    expect(config.arena).toMatchObject({ protocol: 'retry-replay', url: 'http://127.0.0.1:5107' });
    expect(config.server.corsOrigins).toEqual(['http://localhost:5173']);
    expect(config.browser.workers).toBe(2);
    expect(warnings).toEqual([]);
  });

  it('applies flag > environment > file > default', async () => {
    await writeFile(join(cwd, 'config.jsonc'), '{ "port": 1111, "host": "0.0.0.0", "api_key": "k", "log_level": "warn", "browser": "off" }');
    const env = { BRIDGE_PORT: '2222', BRIDGE_HOST: '127.0.0.2', BRIDGE_BROWSER: '3' };
    const argv = ['--port', '3333', '--headful'];
    const { config } = await loadConfig(input({ env, argv }));
    expect(config.server.port).toBe(3333);
    expect(config.server.host).toBe('127.0.0.2');
    expect(config.browser.workers).toBe(3);
    expect(config.browser.headful).toBe(true);
    expect(config.logging.level).toBe('warn');
    expect(config.arena.url).toBe('https://arena.ai');
  });

  it('ignores empty environment values and unrelated flags', async () => {
    const { config } = await loadConfig(input({ env: { BRIDGE_PORT: '' }, argv: ['serve', '--pacing-ms', '5', '--port=4444'] }));
    expect(config.server.port).toBe(4444);
  });

  it('lists every problem at once, naming file keys, flags and variables', async () => {
    await writeFile(
      join(cwd, 'config.jsonc'),
      '{ "port": "abc", "log_level": "loud", "cors_origins": ["http://ok", "not a url"], "retry_attempts": 0 }',
    );
    await writeFile(join(cwd, 'models.json'), '{ "x": "id:audio" }');
    const error = await loadError({ argv: ['--browser', 'many'], env: { BRIDGE_ARENA_URL: 'ftp://x' } });
    const located = error.problems.map((problem) => (problem.path === '' ? problem.source : `${problem.source}: ${problem.path}`));
    expect(located.sort()).toEqual(
      [
        '--browser',
        'BRIDGE_ARENA_URL',
        'config.jsonc: port',
        'config.jsonc: log_level',
        'config.jsonc: cors_origins[1]',
        'config.jsonc: retry_attempts',
        'models.json: x',
      ].sort(),
    );
    const port = error.problems.find((problem) => problem.path === 'port');
    expect(port?.message).toBe('expected an integer from 0 to 65535, got "abc"');
    expect(port?.fix).toContain('Set "port"');
    const formatted = error.format();
    expect(formatted.split('\n')[0]).toBe('Invalid configuration (7 problems):');
    expect(formatted).toContain('config.jsonc: cors_origins[1]: expected a list of origins');
    expect(formatted).toContain('--browser: expected "auto", "off" or a number');
  });

  it('reads browser_profiles and the account settings, and names each malformed profile', async () => {
    await writeFile(
      join(cwd, 'config.jsonc'),
      '{ "browser_profiles": ["alice", { "name": "bob", "pages": 2 }], "account_hourly_budget": 15, "account_hold_minutes": 30, "prompt_character_limit": 100000 }',
    );
    const { config } = await loadConfig(input());
    expect(config.browser.profiles).toEqual([{ name: 'alice', pages: 1 }, { name: 'bob', pages: 2 }]);
    expect(config.accounts).toEqual({ holdMinutes: 30, minIntervalSeconds: 0, hourlyBudget: 15, adaptivePacing: true });
    expect(config.chat.promptCharacterLimit).toBe(100_000);
    expect(config.arena.directModeValue).toBe('direct-battle');

    await writeFile(join(cwd, 'config.jsonc'), '{ "browser_profiles": ["../escape", { "name": "bob", "pages": 0 }, { "nme": "typo" }] }');
    const error = await loadError({});
    const located = error.problems.map((problem) => problem.path).sort();
    expect(located).toEqual(['browser_profiles[0]', 'browser_profiles[1].pages', 'browser_profiles[2]'].sort());
    expect(error.format()).toContain('expected a list of distinct profile names');
    await writeFile(join(cwd, 'config.jsonc'), '{ "browser_profiles": ["alice", "alice"] }');
    expect((await loadError({})).problems.map((problem) => problem.path)).toEqual(['browser_profiles']);
  });

  it('sizes workers by protocol unless worker_max_concurrency caps them, and checks each key\'s range', async () => {
    expect((await loadConfig(input())).config.workers).toMatchObject({ maxConcurrency: undefined, maxConcurrencyHttp1: 6, maxConcurrencyHttp2: 64 });
    await writeFile(join(cwd, 'config.jsonc'), '{ "worker_max_concurrency": 16, "worker_max_concurrency_http1": 4, "worker_max_concurrency_http2": 128 }');
    expect((await loadConfig(input())).config.workers).toMatchObject({ maxConcurrency: 16, maxConcurrencyHttp1: 4, maxConcurrencyHttp2: 128 });
    await writeFile(join(cwd, 'config.jsonc'), '{ "worker_max_concurrency": null }');
    expect((await loadConfig(input())).config.workers.maxConcurrency).toBeUndefined();

    await writeFile(join(cwd, 'config.jsonc'), '{ "worker_max_concurrency": 0, "worker_max_concurrency_http1": 65, "worker_max_concurrency_http2": 1.5 }');
    const error = await loadError({});
    expect(error.problems.map((problem) => `${problem.path}: ${problem.message}`).sort()).toEqual([
      'worker_max_concurrency: expected an integer from 1 to 256, or null for no cap, got 0',
      'worker_max_concurrency_http1: expected an integer from 1 to 64, got 65',
      'worker_max_concurrency_http2: expected an integer from 1 to 256, got 1.5',
    ]);
  });

  it('attaches a best-effort config that keeps the accepted values', async () => {
    await writeFile(join(cwd, 'config.jsonc'), '{ "port": "abc", "host": "127.0.0.9", "queue_limit": 5 }');
    const error = await loadError({ argv: ['--browser', 'off', '--log-level', 'loud'] });
    expect(error.bestEffort?.server).toMatchObject({ port: 5102, host: '127.0.0.9' });
    expect(error.bestEffort?.workers.queueLimit).toBe(5);
    expect(error.bestEffort?.browser.workers).toBe('off');
    expect(error.bestEffort?.logging.level).toBe('info');
  });

  it('reports a bad --port value and a flag without a value', async () => {
    const error = await loadError({ argv: ['--port', 'abc', '--api-key'] });
    expect(error.problems).toEqual([
      expect.objectContaining({ source: '--api-key', message: 'needs a value' }),
      expect.objectContaining({ source: '--port', message: 'expected an integer from 0 to 65535, got "abc"' }),
    ]);
  });

  it('reports a bad environment value by its name', async () => {
    const error = await loadError({ env: { BRIDGE_LOG_LEVEL: 'verbose', BRIDGE_HEADFUL: 'maybe' } });
    expect(error.problems.map((problem) => problem.source).sort()).toEqual(['BRIDGE_HEADFUL', 'BRIDGE_LOG_LEVEL']);
    expect(error.problems.find((problem) => problem.source === 'BRIDGE_HEADFUL')?.fix).toBe('Set BRIDGE_HEADFUL to true or false, or unset it.');
  });

  it('reports syntax errors with line and column', async () => {
    await writeFile(join(cwd, 'config.jsonc'), '{\n  "port": 5102,\n  "host" "x"\n}');
    const error = await loadError({});
    expect(error.problems[0]?.message).toMatch(/^syntax error at line 3, column 10/);
  });

  it('warns about retired keys with the reason and unknown keys with the closest known one', async () => {
    await writeFile(
      join(cwd, 'config.jsonc'),
      '{ "version": "2.5", "enable_auto_update": true, "enable_idle_restart": true, "idle_restart_timeout_seconds": 300, "enable_comprehensive_logging": true, "prot": 1, "zzz_qqq_xxx": 1, "$schema": "x" }',
    );
    const { warnings, config } = await loadConfig(input());
    expect(config.server.port).toBe(5102);
    expect(warnings).toContain('config.jsonc: "enable_auto_update" is ignored: update with npm instead (npm install -g lmarena-bridge@latest).');
    expect(warnings).toContain('config.jsonc: unknown key "prot" is ignored (did you mean "port"?).');
    expect(warnings).toContain('config.jsonc: unknown key "zzz_qqq_xxx" is ignored.');
    expect(warnings.filter((warning) => warning.includes('is ignored'))).toHaveLength(7);
  });

  it('treats null as "use the default" and empty id strings as unset', async () => {
    await writeFile(join(cwd, 'config.jsonc'), '{ "port": null, "session_id": "", "api_key": "" }');
    const { config } = await loadConfig(input());
    expect(config.server.port).toBe(5102);
    expect(config.capturedIds.sessionId).toBeUndefined();
    expect(config.server.apiKey).toBeUndefined();
  });

  it('uses --config and reads models.json and model_endpoint_map.json beside it', async () => {
    const dir = join(root, 'elsewhere');
    await mkdir(dir);
    await writeFile(join(dir, 'my.jsonc'), '{ "port": 9000, "protocol": "retry-replay" }');
    await writeFile(join(dir, 'models.json'), '{ "nano-banana": "null:image" }');
    await writeFile(join(dir, 'model_endpoint_map.json'), '{ "nano-banana": { "session_id": "s", "message_id": "m" } }');
    await writeFile(join(cwd, 'config.jsonc'), '{ "port": 1 }');
    const { config, sources } = await loadConfig(input({ argv: ['--config', '../elsewhere/my.jsonc'] }));
    expect(config.server.port).toBe(9000);
    expect(config.models).toEqual([{ name: 'nano-banana', id: null, type: 'image' }]);
    expect(config.endpointMap).toEqual({ 'nano-banana': [{ sessionId: 's', messageId: 'm' }] });
    expect(sources).toEqual({
      configFile: join(dir, 'my.jsonc'),
      modelsFile: join(dir, 'models.json'),
      endpointMapFile: join(dir, 'model_endpoint_map.json'),
    });
  });

  it('fails when --config or BRIDGE_CONFIG names a missing file', async () => {
    const viaFlag = await loadError({ argv: ['--config', 'missing.jsonc'] });
    expect(viaFlag.problems[0]).toMatchObject({ source: '--config', message: `no config file at ${join(cwd, 'missing.jsonc')}` });
    const viaEnv = await loadError({ env: { BRIDGE_CONFIG: '/nonexistent/config.jsonc' } });
    expect(viaEnv.problems[0]?.source).toBe('BRIDGE_CONFIG');
  });

  it('falls back to <data dir>/config.jsonc, honouring XDG_DATA_HOME and --data-dir', async () => {
    const xdg = join(root, 'xdg');
    await mkdir(join(xdg, 'lmarena-bridge'), { recursive: true });
    await writeFile(join(xdg, 'lmarena-bridge', 'config.jsonc'), '{ "port": 7001 }');
    const fromXdg = await loadConfig(input({ env: { XDG_DATA_HOME: xdg } }));
    expect(fromXdg.config.server.port).toBe(7001);
    expect(fromXdg.config.dataDir).toBe(join(xdg, 'lmarena-bridge'));

    await mkdir(join(root, 'state'));
    await writeFile(join(root, 'state', 'config.jsonc'), '{ "port": 7002 }');
    const fromFlag = await loadConfig(input({ argv: ['--data-dir', '../state'] }));
    expect(fromFlag.config.server.port).toBe(7002);
    expect(fromFlag.config.dataDir).toBe(join(root, 'state'));
  });

  it('resolves data_dir in the file against the file and expands ~', async () => {
    await writeFile(join(cwd, 'config.jsonc'), '{ "data_dir": "state" }');
    expect((await loadConfig(input())).config.dataDir).toBe(join(cwd, 'state'));
    await writeFile(join(cwd, 'config.jsonc'), '{ "data_dir": "~/bridge" }');
    expect((await loadConfig(input())).config.dataDir).toBe(join(home, 'bridge'));
  });

  it('warns about risky or pointless combinations', async () => {
    await writeFile(join(cwd, 'config.jsonc'), '{ "host": "0.0.0.0", "session_id": "s", "message_id": "m" }');
    const { warnings } = await loadConfig(input());
    expect(warnings.some((warning) => warning.includes('0.0.0.0 without an api_key'))).toBe(true);
    expect(warnings.some((warning) => warning.includes('used only with "protocol": "retry-replay"'))).toBe(true);
  });

  it('never writes the files it reads', async () => {
    const text = '{ /* keep me */ "port": 5102, "enable_auto_update": true, }';
    await writeFile(join(cwd, 'config.jsonc'), text);
    await loadConfig(input());
    expect(await readFile(join(cwd, 'config.jsonc'), 'utf8')).toBe(text);
  });
});
