#!/usr/bin/env node
// The path users run (issue 12): streaming chat completions through the bridge and its userscript
// in real headless Chromium, against the fake LMArena over TLS + HTTP/2, compared in the same run
// with a floor: bench/floor-page-relay.mjs, a do-nothing page script and relay doing only what any
// bridge must (a token minted ahead, the page's fetch, raw chunks over a WebSocket, SSE out).
//
//   node bench/browser-path.mjs [--levels 1,4,16,64] [--runs 3] [--tabs 4] [--per-level N]
//                               [--reply-words 60] [--chunk-delay-ms 4] [--no-tls] [--json out.json]
//                               [--chromium /usr/bin/chromium] [--help]
//
// Each system (ours: `lmarena-bridge serve` with the `npm start` flags and the userscript it
// serves; floor: the relay and its page script) gets its own Chromium with `--tabs` tabs on the
// fake, so their CPU is measured apart. Runs alternate ours/floor level by level. Every reply is
// checked against the fake's echo answer. Per run: time to first token p50/p95 at the client,
// completions/s, Chromium CPU ms per completion (every process of that browser, from /proc), the
// server's CPU ms per completion and peak RSS, and the load average. Needs a build (`npm run build`).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { processStats, root, startBridge, startNode, startScriptFlags } from './bench-processes.mjs';

const USAGE = `Usage: node bench/browser-path.mjs [options]
  --levels LIST        concurrency levels (default 1,4,16,64)
  --runs N             runs per level and system (default 3)
  --tabs N             arena tabs per browser (default 4)
  --per-level N        completions per run (default max(24, 6 × concurrency))
  --reply-words N      filler words of each answer (default 60: about 70 records)
  --chunk-delay-ms N   the fake's pause between records (default 4)
  --no-tls             serve the fake over plain HTTP/1.1 instead of TLS + HTTP/2
  --chromium PATH      (default /usr/bin/chromium)
  --json FILE          write every run as JSON
  --profile            profile our pages (CDP) during the runs and print where their time went
  --help               this text`;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      levels: { type: 'string', default: '1,4,16,64' },
      runs: { type: 'string', default: '3' },
      tabs: { type: 'string', default: '4' },
      'per-level': { type: 'string' },
      'reply-words': { type: 'string', default: '60' },
      'chunk-delay-ms': { type: 'string', default: '4' },
      'no-tls': { type: 'boolean', default: false },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      json: { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`browser-path.mjs: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const LEVELS = args.levels.split(',').map(Number);
const RUNS = Number(args.runs);
const TABS = Number(args.tabs);
if (!existsSync(args.chromium)) {
  console.error(`No Chromium at ${args.chromium}; install it (apt-get install chromium) or pass --chromium PATH.`);
  process.exit(1);
}
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---- the fake LMArena in a process of its own ----------------------------------------------------
async function startFake() {
  const options = { tls: !args['no-tls'], replyWords: Number(args['reply-words']), pacing: { chunkDelayMs: Number(args['chunk-delay-ms']) } };
  const code = `const { startFakeArena } = await import(${JSON.stringify(join(root, 'dist/src/fake-arena/index.js'))});
const fake = await startFakeArena(${JSON.stringify(options)});
const echo = fake.options.models.find((model) => model.publicName === 'fake-echo');
console.log('FAKE ' + JSON.stringify({ url: fake.url, modelId: echo.id }));
process.stdin.on('end', () => fake.close().then(() => process.exit(0)));
process.stdin.resume();`;
  const { child, match } = await startNode(['--input-type=module', '-e', code], /FAKE (\{.*\})/, { what: 'the fake' });
  const info = JSON.parse(match[1]);
  return { ...info, child, stop: () => child.stdin.end() };
}

// ---- the two systems ------------------------------------------------------------------------------
async function startFloor(fake) {
  const { child, match } = await startNode([join(root, 'bench/floor-page-relay.mjs'), '--arena', fake.url, '--model-id', fake.modelId], /ready (http:\/\/\S+)/, { what: 'the floor relay' });
  const url = match[1];
  const script = await (await fetch(`${url}/floor-agent.js`)).text();
  return { name: 'floor', child, url, script, pages: () => undefined, stop: () => child.stdin.end() };
}

async function startOurs(fake) {
  const bridge = await startBridge({ nodeFlags: startScriptFlags(), arenaUrl: fake.url, config: { log_level: 'error' } });
  const script = await (await fetch(`${bridge.url}/userscript.user.js`)).text();
  const pages = async () => (await (await fetch(`${bridge.url}/health`)).json()).workers.count;
  return { name: 'ours', child: bridge.child, url: bridge.url, script, pages, stop: () => bridge.child.kill('SIGTERM') };
}

async function openBrowser(system, fake) {
  const userDataDir = mkdtempSync(join(tmpdir(), `bench-path-${system.name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true, ignoreHTTPSErrors: true });
  await context.addInitScript({ content: system.script });
  const tabs = [];
  for (let index = 0; index < TABS; index += 1) {
    const page = index === 0 && context.pages().length > 0 ? context.pages()[0] : await context.newPage();
    await page.goto(`${fake.url}/text/direct`);
    tabs.push(page);
  }
  const protocol = await tabs[0].evaluate(() => performance.getEntriesByType('navigation')[0]?.nextHopProtocol ?? '');
  const deadline = Date.now() + 30_000;
  while (system.name === 'ours' && (await system.pages()) < TABS) {
    if (Date.now() > deadline) throw new Error('the tabs did not join the bridge within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const profilers = [];
  if (args.profile && system.name === 'ours') {
    for (const tab of tabs) {
      const session = await context.newCDPSession(tab);
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 100 });
      await session.send('Profiler.start');
      profilers.push(session);
    }
  }
  return { context, userDataDir, protocol, profilers };
}

/** Self time per function over the pages' profiles, the top `count`. */
async function profileSummary(profilers, count = 25) {
  const self = new Map();
  let total = 0;
  for (const session of profilers) {
    const { profile } = await session.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length) / 1000;
    for (const id of profile.samples) {
      const frame = byId.get(id).callFrame;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}`;
      self.set(key, (self.get(key) ?? 0) + interval);
      total += interval;
    }
  }
  return { total, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, count) };
}

/** CPU ms of every process whose command line names this browser's profile directory. */
function browserCpuMs(userDataDir) {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(userDataDir) || cmdline.includes(`--user-data-dir=${userDataDir}`)) total += processStats(pid).cpuMs;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

// ---- the client: streaming completions, every reply checked --------------------------------------
let promptCounter = 0;

async function completion(baseUrl) {
  const prompt = `bench ${(promptCounter += 1)}`;
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: prompt }] }),
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  let content = '';
  let ttft;
  let done = false;
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!event.startsWith('data: ')) continue;
      const data = event.slice(6);
      if (data === '[DONE]') {
        done = true;
        continue;
      }
      const delta = JSON.parse(data).choices?.[0]?.delta?.content;
      if (delta) {
        ttft ??= performance.now() - started;
        content += delta;
      }
    }
  }
  if (!done || !content.startsWith(`Echo #1: ${prompt} (history: 0 messages)`)) throw new Error(`a reply was cut or wrong: ${JSON.stringify(content.slice(0, 80))}, [DONE] ${done}`);
  return ttft;
}

async function measure(system, browser, concurrency) {
  const total = Number(args['per-level'] ?? Math.max(24, 6 * concurrency));
  const ttfts = [];
  const before = { browser: browserCpuMs(browser.userDataDir), server: processStats(system.child.pid).cpuMs, load: loadavg()[0] };
  let issued = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (issued < total) {
      issued += 1;
      ttfts.push(await completion(system.url));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const server = processStats(system.child.pid);
  ttfts.sort((a, b) => a - b);
  const at = (q) => ttfts[Math.min(ttfts.length - 1, Math.floor(q * ttfts.length))];
  return {
    system: system.name,
    concurrency,
    completions: total,
    ttftP50: at(0.5),
    ttftP95: at(0.95),
    perSecond: total / seconds,
    browserCpuMs: (browserCpuMs(browser.userDataDir) - before.browser) / total,
    serverCpuMs: (server.cpuMs - before.server) / total,
    serverPeakRssMb: server.peakRss / 2 ** 20,
    load: [before.load, loadavg()[0]],
  };
}

// ---- the run ----------------------------------------------------------------------------------------
const fake = await startFake();
const systems = [await startOurs(fake), await startFloor(fake)];
const browsers = new Map();
const results = [];
try {
  for (const system of systems) browsers.set(system, await openBrowser(system, fake));
  console.log(`fake ${fake.url} (pages talk ${[...browsers.values()].map((browser) => browser.protocol || '?').join(' / ')}), ${TABS} tabs per browser, load ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  // Warm-up: the bridge loads the model list, pages mint their first tokens, connections open.
  for (const system of systems) await Promise.all(Array.from({ length: TABS * 2 }, () => completion(system.url)));
  for (const concurrency of LEVELS) {
    for (let run = 1; run <= RUNS; run += 1) {
      for (const system of systems) {
        const result = { run, ...(await measure(system, browsers.get(system), concurrency)) };
        results.push(result);
        console.log(`c=${concurrency} run ${run} ${system.name}: TTFT p50 ${result.ttftP50.toFixed(1)} ms, ${result.perSecond.toFixed(1)}/s, Chromium ${result.browserCpuMs.toFixed(1)} ms/completion, load ${result.load.map((value) => value.toFixed(2)).join('→')}`);
      }
    }
  }
  for (const browser of browsers.values()) {
    if (browser.profilers.length === 0) continue;
    const { total, top } = await profileSummary(browser.profilers);
    console.log(`\nOur pages' JavaScript, ${total.toFixed(0)} ms sampled (idle and program included), by self time:`);
    for (const [name, msSelf] of top) console.log(`  ${msSelf.toFixed(1).padStart(8)} ms  ${name}`);
  }
} finally {
  for (const browser of browsers.values()) await browser.context.close().catch(() => undefined);
  for (const system of systems) system.stop();
  fake.stop();
}

// ---- the table --------------------------------------------------------------------------------------
const fmt = (value, digits = 1) => value.toFixed(digits);
const range = (values, digits = 2) => `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log('\n| concurrency | run | TTFT p50 ms ours / floor | TTFT p95 ms ours / floor | completions/s ours / floor | Chromium CPU ms per completion ours / floor | server CPU ms per completion ours / floor | server peak RSS MB ours / floor | load (1 min) |');
console.log('|---:|---:|---|---|---|---|---|---|---|');
for (const concurrency of LEVELS) {
  for (let run = 1; run <= RUNS; run += 1) {
    const ours = results.find((entry) => entry.system === 'ours' && entry.concurrency === concurrency && entry.run === run);
    const floor = results.find((entry) => entry.system === 'floor' && entry.concurrency === concurrency && entry.run === run);
    console.log(`| ${concurrency} | ${run} | ${fmt(ours.ttftP50)} / ${fmt(floor.ttftP50)} | ${fmt(ours.ttftP95)} / ${fmt(floor.ttftP95)} | ${fmt(ours.perSecond)} / ${fmt(floor.perSecond)} | ${fmt(ours.browserCpuMs)} / ${fmt(floor.browserCpuMs)} | ${fmt(ours.serverCpuMs, 2)} / ${fmt(floor.serverCpuMs, 2)} | ${fmt(ours.serverPeakRssMb)} / ${fmt(floor.serverPeakRssMb)} | ${fmt(ours.load[0], 2)}–${fmt(floor.load[1], 2)} |`);
  }
}
console.log('\nRatios ours ÷ floor, per run (median, range over runs):\n');
console.log('| concurrency | TTFT p50 | TTFT p95 | completions/s | Chromium CPU per completion |');
console.log('|---:|---|---|---|---|');
for (const concurrency of LEVELS) {
  const pairs = Array.from({ length: RUNS }, (_, index) => [
    results.find((entry) => entry.system === 'ours' && entry.concurrency === concurrency && entry.run === index + 1),
    results.find((entry) => entry.system === 'floor' && entry.concurrency === concurrency && entry.run === index + 1),
  ]);
  const ratio = (key) => {
    const values = pairs.map(([ours, floor]) => ours[key] / floor[key]);
    return `${fmt(median(values), 2)} (${range(values)})`;
  };
  console.log(`| ${concurrency} | ${ratio('ttftP50')} | ${ratio('ttftP95')} | ${ratio('perSecond')} | ${ratio('browserCpuMs')} |`);
}
if (args.json) writeFileSync(args.json, JSON.stringify({ fake: fake.url, tabs: TABS, results }, null, 2));
process.exit(0);
