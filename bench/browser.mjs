#!/usr/bin/env node
// Browser worker benchmark (issue 4): how long the bridge's own Chromium takes to become a worker,
// and the time to first token through it, against the fake LMArena.
//
//   node bench/browser.mjs [--runs 5] [--jobs 10] [--dist dist] [--chromium /usr/bin/chromium] [--json out.json]
//
// 1. Cold start, `--runs` times with a fresh profile each: Chromium launched → first worker
//    connected (the injected agent's hello reached the worker endpoint) → page ready (challenge
//    passed, grecaptcha loaded, agent connected: what `host.start()` waits for).
// 2. Time to first token of a create-evaluation job run by the automated page (reCAPTCHA minted
//    in the page, fetch from the page, first `a0:` record back over the worker socket).
// 3. The same through the whole bridge: `lmarena-bridge serve --browser 1` against
//    `lmarena-bridge fake-arena`, streaming /v1/chat/completions, first content delta.
// Needs a build (`npm run build`): it loads the compiled modules from --dist.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    jobs: { type: 'string', default: '10' },
    dist: { type: 'string', default: join(root, 'dist') },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    json: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const JOBS = Number(args.jobs);
const dist = resolve(args.dist);
const load = (path) => import(pathToFileURL(join(dist, path)).href);
if (!existsSync(args.chromium)) {
  console.error(`No Chromium at ${args.chromium}; pass --chromium <path>.`);
  process.exit(1);
}

const { startFakeArena } = await load('src/fake-arena/index.js');
const { createBrowserHost } = await load('src/workers/browser/index.js');
const { registerWorkerEndpoint } = await load('src/workers/index.js');
const { createSilentLogger } = await load('src/observability/logger.js');
const { uuidv7 } = await load('src/arena/index.js');
const { loadAgentBundle } = await load('src/workers/userscript/render-userscript.js');
const agentBundle = await loadAgentBundle();
const SECRET = 'bench-secret';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => (value === undefined ? '—' : `${value.toFixed(0)} ms`);

async function startEndpoint(fakeUrl, registry) {
  const app = Fastify();
  await registerWorkerEndpoint(app, { registry, logger: createSilentLogger(), pairingSecret: SECRET, allowedOrigins: [fakeUrl] });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, wsUrl: `${address.replace('http', 'ws')}/ws/worker` };
}

/** One cold start; keeps the host running when `keep` is set (for the job measurements). */
async function coldStart(fake, keep) {
  const profileDir = mkdtempSync(join(tmpdir(), 'bench-browser-'));
  const times = {};
  let started = 0;
  let host;
  const workers = [];
  const registry = {
    add(worker) {
      times.connected ??= performance.now() - started;
      workers.push(worker);
      host.wrapRegistry(inner).add(worker);
    },
    remove(worker) {
      host.wrapRegistry(inner).remove(worker);
    },
    pageChanged(worker) {
      host.wrapRegistry(inner).pageChanged(worker);
    },
    idsCaptured() {},
  };
  const inner = { add() {}, remove() {}, pageChanged() {}, idsCaptured() {} };
  const { app, wsUrl } = await startEndpoint(fake.url, registry);
  host = createBrowserHost({
    executablePath: args.chromium, profileDir, arenaUrl: fake.url, bridgeWsUrl: wsUrl, pairingSecret: SECRET, agentVersion: 'bench',
    agentBundle, logger: createSilentLogger(), lifecycle: { pollIntervalMs: 50 },
    onProgress: (step) => {
      if (step.startsWith('Page 1: opening')) times.launched ??= performance.now() - started;
    },
  });
  started = performance.now();
  await host.start();
  times.ready = performance.now() - started;
  const stop = async () => {
    await host.stop();
    await app.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  if (!keep) await stop();
  return { times, worker: workers.at(-1), stop };
}

async function workerTtft(fake, worker) {
  const model = fake.options.models[0];
  const results = [];
  for (let index = 0; index < JOBS; index += 1) {
    const request = {
      method: 'POST',
      url: '/nextjs-api/stream/create-evaluation',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: { kind: 'json', value: { id: uuidv7(), mode: 'direct-battle', modelAId: model.id, userMessageId: uuidv7(), modelAMessageId: uuidv7(), userMessage: { content: `bench ${index}` }, modality: 'chat' } },
      recaptcha: { action: 'chat_submit', version: 'v3', field: 'recaptchaV3Token' },
    };
    const begun = performance.now();
    let first;
    for await (const events of worker.startJob(request, new AbortController().signal)) {
      for (const event of events) {
        if (event.type === 'error') throw new Error(`job failed: ${event.reason} ${event.message}`);
        if (first === undefined && event.type === 'chunk' && event.data.includes('a0:')) first = performance.now() - begun;
      }
    }
    results.push(first);
  }
  return results;
}

function startProcess(argv, readyText) {
  const child = spawn(process.execPath, [join(dist, 'src/cli/main.js'), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${readyText}" within 30 s:\n${output}`)), 30_000);
    const onData = (data) => {
      output += data;
      const match = readyText.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

async function streamTtft(base, content) {
  const begun = performance.now();
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content }] }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let text = '';
  let first;
  for await (const chunk of response.body) {
    text += decoder.decode(chunk, { stream: true });
    if (first === undefined && /"content":"[^"]/.test(text)) first = performance.now() - begun;
  }
  return first;
}

async function bridgeTtft() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bridge-browser-'));
  const fake = await startProcess(['fake-arena', '--port', '0'], /running at (https?:\/\/\S+)/);
  const fakeUrl = fake.match[1];
  const started = performance.now();
  let bridge;
  try {
    bridge = await startProcess(['serve', '--port', '0', '--browser', '1', '--browser-path', args.chromium, '--arena-url', fakeUrl, '--data-dir', dataDir, '--log-level', 'error'], /OpenAI base URL:\s+(http:\/\/\S+)\/v1/);
    const base = bridge.match[1];
    const deadline = Date.now() + 60_000;
    let warm;
    while (warm === undefined) {
      warm = await streamTtft(base, 'warm-up').catch((error) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (warm === undefined) await new Promise((r) => setTimeout(r, 250));
    }
    const firstAnswer = performance.now() - started;
    const results = [];
    for (let index = 0; index < JOBS; index += 1) results.push(await streamTtft(base, `bench ${index}`));
    return { firstAnswer, results };
  } finally {
    bridge?.child.kill('SIGTERM');
    fake.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fake = await startFakeArena();
const cold = [];
for (let run = 0; run < RUNS; run += 1) cold.push((await coldStart(fake, false)).times);
const kept = await coldStart(fake, true);
const jobs = await workerTtft(fake, kept.worker);
await kept.stop();
await fake.close();
let bridge;
try {
  bridge = await bridgeTtft();
} catch (error) {
  bridge = { error: error.message.split('\n')[0] };
}

const rows = [
  ['Chromium launched (first page opening)', median(cold.map((t) => t.launched))],
  ['first worker connected (agent hello)', median(cold.map((t) => t.connected))],
  ['page ready (host.start() resolved)', median(cold.map((t) => t.ready))],
  [`TTFT, job on the automated page (median of ${JOBS})`, median(jobs)],
  ...(bridge.error === undefined
    ? [
        ['serve --browser 1: first answer after spawn', bridge.firstAnswer],
        [`TTFT, /v1/chat/completions stream (median of ${JOBS})`, median(bridge.results)],
      ]
    : []),
];
console.log(`Browser worker benchmark (${args.chromium}, cold start median of ${RUNS})`);
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${ms(value).padStart(8)}`);
if (bridge.error !== undefined) console.log(`  full bridge path not measured: ${bridge.error}`);
if (args.json) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(args.json, JSON.stringify({ cold, jobs, bridge }, null, 2));
}
