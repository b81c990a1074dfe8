import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { findChromium, type BridgeConfig } from '../../config/index.js';
import { ensureDataDir, openStateDatabase } from '../../storage/index.js';

/** One line of the doctor's report. */
export interface CheckResult {
  /** `warn` is shown with "!" and does not fail the run. */
  status: 'ok' | 'warn' | 'fail';
  label: string;
  details?: string[];
  fix?: string;
}

const MINIMUM_NODE: readonly [number, number] = [22, 13];

/** The checks after configuration, in report order. */
export async function runChecks(config: BridgeConfig, nodeVersion: string = process.versions.node): Promise<CheckResult[]> {
  const results = [checkNode(nodeVersion)];
  const dataDir = await checkDataDir(config.dataDir);
  results.push(dataDir);
  if (dataDir.status === 'ok') results.push(checkDatabase(config.dataDir));
  results.push(await checkPort(config.server.host, config.server.port), await checkBrowser(config));
  return results;
}

/** Node.js is new enough for node:sqlite without flags and for the rest of the bridge. */
export function checkNode(version: string): CheckResult {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
  return ok
    ? { status: 'ok', label: `Node.js ${version} (22.13 or newer needed)` }
    : { status: 'fail', label: `Node.js ${version} is too old (22.13 or newer needed)`, fix: 'Install Node.js 24 LTS from https://nodejs.org or with your version manager (nvm install 24).' };
}

async function checkDataDir(dataDir: string): Promise<CheckResult> {
  const existed = existsSync(dataDir);
  try {
    await ensureDataDir(dataDir);
    return { status: 'ok', label: `Data directory ${dataDir} is writable${existed ? '' : ' (created)'}` };
  } catch (error) {
    return {
      status: 'fail',
      label: `Data directory ${dataDir} is not usable`,
      details: [error instanceof Error ? error.message : String(error)],
      fix: 'Fix its permissions, or choose another with --data-dir, BRIDGE_DATA_DIR or "data_dir" in config.jsonc.',
    };
  }
}

function checkDatabase(dataDir: string): CheckResult {
  try {
    const database = openStateDatabase(dataDir);
    const version = database.schemaVersion;
    database.close();
    return { status: 'ok', label: `State database opens (schema version ${version})` };
  } catch (error) {
    return {
      status: 'fail',
      label: 'State database cannot be opened',
      details: [error instanceof Error ? error.message : String(error)],
      fix: 'Follow the advice above; a damaged state.sqlite can be moved aside and is recreated on start.',
    };
  }
}

/** The configured port is free to bind (nothing else, including a running bridge, holds it). */
export async function checkPort(host: string, port: number): Promise<CheckResult> {
  if (port === 0) return { status: 'ok', label: 'Port 0: a free port is picked at start' };
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once('error', (failure: NodeJS.ErrnoException) => resolve(failure));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (error === undefined) return { status: 'ok', label: `Port ${host}:${port} is free` };
  return {
    status: 'fail',
    label: `Port ${host}:${port} cannot be bound (${error.code ?? error.message})`,
    fix: error.code === 'EADDRINUSE'
      ? 'Another program (maybe a running bridge) uses it: stop it, or choose another port with --port or BRIDGE_PORT.'
      : 'Check the host address, or choose another with --host/--port (BRIDGE_HOST/BRIDGE_PORT).',
  };
}

async function checkBrowser(config: BridgeConfig): Promise<CheckResult> {
  if (config.browser.workers === 'off') {
    return { status: 'ok', label: 'Chromium not needed (browser is "off": userscript workers only)' };
  }
  const lookup = await findChromium(config);
  if (lookup.found) return { status: 'ok', label: `Chromium found: ${lookup.path}` };
  const fix = 'Install Chromium (e.g. apt install chromium) or Chrome, or set browser_executable_path / --browser-path / BRIDGE_BROWSER_PATH.';
  // With "auto" a missing browser only means no built-in worker; the userscript still works.
  if (config.browser.workers === 'auto' && config.browser.executablePath === undefined) {
    return { status: 'warn', label: `No Chromium found: ${lookup.reason}; only userscript workers can connect`, fix };
  }
  return { status: 'fail', label: `No Chromium: ${lookup.reason}`, fix };
}
