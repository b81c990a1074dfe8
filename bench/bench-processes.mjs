// Shared by the benchmarks: the bridge as a child process started as `npm start` starts it, its
// CPU and memory read from /proc, and the fake workers process (bench/fake-workers.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node flags `npm start` runs the bridge with (the `--…` words before the script path). */
export function startScriptFlags() {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start.split(/\s+/);
  return start.slice(1, start.indexOf('dist/src/cli/main.js')).filter((word) => word.startsWith('--'));
}

/**
 * Starts `entry serve` (the bridge, or a stand-in speaking the same CLI) with `nodeFlags`, a fresh
 * data dir, `config` as config.jsonc and `models` as models.json; resolves with its base URL and
 * `output()`, all it has printed so far (stdout and stderr).
 */
export async function startBridge({ entry = join(root, 'dist/src/cli/main.js'), nodeFlags, arenaUrl, config = {}, models = {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'));
  writeFileSync(join(dir, 'config.jsonc'), JSON.stringify({ log_level: 'error', ...config }));
  writeFileSync(join(dir, 'models.json'), JSON.stringify(models));
  const started = await startNode([...nodeFlags, entry, 'serve', '--port', '0', '--browser', 'off',
    '--config', join(dir, 'config.jsonc'), '--data-dir', join(dir, 'data'), '--arena-url', arenaUrl, '--log-level', 'error'],
  /OpenAI base URL: (http:\/\/[^\s]+)\/v1/, { stdio: ['ignore', 'pipe', 'pipe'], what: 'bridge' });
  return { child: started.child, url: started.match[1], dir, output: started.output };
}

/**
 * Starts `node …argv` and resolves once its output (stdout, and stderr when piped) matches `ready`,
 * with the child, the match and `output()`; rejects if the process exits first.
 */
export function startNode(argv, ready, { stdio = ['pipe', 'pipe', 'inherit'], what = 'process' } = {}) {
  const child = spawn(process.execPath, argv, { stdio });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data;
      const match = ready.exec(output);
      if (match) resolve({ child, match, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${output}`)));
  });
}

/** CPU ms, peak and current RSS (bytes) of a process, from /proc. */
export function processStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]) * 1024;
  return { cpuMs: (ticks * 1000) / 100, peakRss: kib('VmHWM'), rss: kib('VmRSS') };
}

/** Starts bench/fake-workers.mjs paired with the bridge; resolves once every worker is paired. */
export async function startWorkers({ bridgeUrl, secret, origin, count, model, modelId, extra = [] }) {
  const { child, match } = await startNode([join(root, 'bench/fake-workers.mjs'), '--bridge', bridgeUrl,
    // `=` form: a random secret may begin with '-', which parseArgs would take for an option.
    `--secret=${secret}`,
    '--origin', origin, '--workers', String(count), '--model', model, '--model-id', modelId, ...extra], /ready (\S+)/, { what: 'fake workers' });
  const upstreamUrl = match[1];
  return { child, upstreamUrl, stop: () => { child.stdin.end(); return new Promise((resolve) => child.once('exit', resolve)); } };
}

/** The pairing secret a bridge hands out in its userscript. */
export async function pairingSecret(bridgeUrl) {
  const script = await (await fetch(`${bridgeUrl}/userscript.user.js`)).text();
  return /"secret":"([^"]+)"/.exec(script)[1];
}
