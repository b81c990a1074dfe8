/**
 * A bridge against the fake LMArena with any configuration section overridden (the shared
 * test-bridge helper does not expose the file host and file bed sections), shaped like the shared
 * TestBridge so that connectNodeAgent works with it, plus a logger that records warnings.
 */
import OpenAI from 'openai';
import type { BridgeConfig } from '../../../src/config/index.js';
import { defaultConfig } from '../../../src/config/index.js';
import { startFakeArena, type FakeArena, type FakeArenaOptions } from '../../../src/fake-arena/index.js';
import type { Logger, LogFields } from '../../../src/observability/logger.js';
import { startBridge } from '../../../src/server.js';
import type { TestBridge } from '../../support/test-bridge.js';
import { createTempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

/** A logged line. */
export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: LogFields | undefined;
}

function recordingLogger(lines: LoggedLine[]): Logger {
  const logger: Logger = {
    level: 'debug',
    error: (message, fields) => void lines.push({ level: 'error', message, fields }),
    warn: (message, fields) => void lines.push({ level: 'warn', message, fields }),
    info: (message, fields) => void lines.push({ level: 'info', message, fields }),
    debug: (message, fields) => void lines.push({ level: 'debug', message, fields }),
    child: () => logger,
  };
  return logger;
}

/** A started bridge with its log. */
export interface AttachmentBridge extends Omit<TestBridge, 'restartBridge'> {
  log: LoggedLine[];
  dataDir: string;
}

/** Starts a fake LMArena and a bridge whose config `configure` may change freely. */
export async function startAttachmentBridge(options: {
  fake?: FakeArenaOptions;
  configure?: (config: BridgeConfig, fake: FakeArena) => BridgeConfig;
} = {}): Promise<AttachmentBridge> {
  const fake = await startFakeArena(options.fake);
  const tempDir = await createTempDir('lmarena-bridge-attachments-');
  const dataDir = tempDir.path;
  const base = defaultConfig({ dataDir });
  const tested: BridgeConfig = {
    ...base,
    server: { ...base.server, port: 0 },
    arena: { ...base.arena, url: fake.url },
    browser: { ...base.browser, workers: 'off' },
    workers: { ...base.workers, queueTimeoutSeconds: 5, pingIntervalSeconds: 5 },
    chat: { ...base.chat, firstTokenTimeoutSeconds: 20, streamResponseTimeoutSeconds: 10 },
    logging: { ...base.logging, level: 'off' },
  };
  const config = options.configure ? options.configure(tested, fake) : tested;
  const log: LoggedLine[] = [];
  const bridge = await startBridge({ config, logger: recordingLogger(log) }).catch(async (error: unknown) => {
    await fake.close();
    await tempDir.remove();
    throw error;
  });
  const health = async () => (await (await fetch(`${bridge.url}/health`)).json()) as Awaited<ReturnType<TestBridge['health']>>;
  return {
    fake,
    bridge,
    url: bridge.url,
    config,
    log,
    dataDir,
    client: (clientOptions = {}) =>
      new OpenAI({ baseURL: `${bridge.url}/v1`, apiKey: clientOptions.apiKey ?? 'unused', maxRetries: 0, timeout: clientOptions.timeoutMs ?? 30_000 }),
    health,
    waitForWorkers: (count) => waitFor(async () => ((await health()).workers.count === count ? health() : false), `${count} worker(s)`),
    waitForModels: () => waitFor(async () => { const report = await health(); return report.models.live > 0 && report; }, 'the live model list'),
    close: async () => {
      await bridge.close();
      await fake.close();
      await tempDir.remove();
    },
  };
}

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A distinct tiny "PNG" per seed (the PNG signature plus the seed), so uploads do not hit the cache. */
export function pngBytes(seed: string): Buffer {
  return Buffer.concat([TINY_PNG, Buffer.from(seed)]);
}

/** `data:image/png;base64,…` of `bytes`. */
export function dataUri(bytes: Buffer, type = 'image/png'): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}
