import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { BridgeConfig } from './bridge-config.js';

/**
 * The default data directory: `$XDG_DATA_HOME/lmarena-bridge` when XDG_DATA_HOME is an absolute
 * path (the XDG spec says to ignore relative ones), else `~/.local/share/lmarena-bridge`.
 */
export function defaultDataDir(input: { env: Record<string, string | undefined>; homeDir: string }): string {
  const xdg = input.env['XDG_DATA_HOME'];
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'lmarena-bridge');
  return join(input.homeDir, '.local', 'share', 'lmarena-bridge');
}

/**
 * Every setting at its default, not frozen (tests and the loader build on it).
 * @param options.dataDir the data directory to use. @default ~/.local/share/lmarena-bridge
 * @example const config = { ...defaultConfig(), server: { ...defaultConfig().server, port: 0 } };
 */
export function defaultConfig(options: { dataDir?: string } = {}): BridgeConfig {
  return {
    server: {
      host: '127.0.0.1',
      port: 5102,
      apiKey: undefined,
      corsOrigins: [],
      maxRequestBodyMb: 16,
      metricsEnabled: true,
      allowedHosts: [],
      headersTimeoutSeconds: 20,
      bodyTimeoutSeconds: 0,
      maxConnectionsPerAddress: 256,
    },
    arena: {
      url: 'https://arena.ai',
      protocol: 'current',
      directModeValue: 'direct-battle',
      recaptchaTokenPool: 2,
      showStealthModels: false,
      modelRefreshMinutes: 30,
    },
    capturedIds: {
      sessionId: undefined,
      messageId: undefined,
      mode: 'direct_chat',
      battleTarget: 'A',
      useDefaultIdsIfMappingNotFound: true,
    },
    browser: {
      workers: 'auto',
      executablePath: undefined,
      headful: false,
      proxy: undefined,
      incognito: false,
      profiles: [],
    },
    workers: {
      maxConcurrency: undefined,
      maxConcurrencyHttp1: 6,
      maxConcurrencyHttp2: 64,
      queueLimit: 64,
      queueTimeoutSeconds: 30,
      pingIntervalSeconds: 15,
    },
    accounts: {
      holdMinutes: 20,
      minIntervalSeconds: 0,
      hourlyBudget: 0,
      adaptivePacing: true,
    },
    chat: {
      tavernMode: false,
      bypass: false,
      firstTokenTimeoutSeconds: 120,
      streamResponseTimeoutSeconds: 360,
      retryAttempts: 3,
      maxConversations: 1000,
      unhealthySessionRestMinutes: 10,
      promptCharacterLimit: 50_000,
    },
    fileBed: {
      enabled: false,
      uploadUrl: 'http://127.0.0.1:5180/upload',
      apiKey: undefined,
    },
    fileHost: {
      enabled: false,
      publicUrl: undefined,
      maxMb: 50,
      ttlMinutes: 60,
      uploadKey: undefined,
      saveGeneratedImages: false,
    },
    logging: { level: 'info', format: 'auto' },
    dataDir: options.dataDir ?? defaultDataDir({ env: {}, homeDir: homedir() }),
    models: [],
    endpointMap: {},
  };
}
