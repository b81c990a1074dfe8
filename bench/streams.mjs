#!/usr/bin/env node
// Streams benchmark (issue 3): N concurrent streaming chat completions through the bridge with
// fake workers. Each fake worker speaks the real worker protocol over WebSocket and relays a
// synthetic upstream (200 `a0:` records of ~8 characters, each its own network write) one worker
// message per record, as a real page forwards network chunks. The bridge runs as a child process
// so its CPU time and peak RSS are measured alone, started as `npm start` starts it (the Node flags
// of the package's start script; `--bare` leaves them out).
//
//   node bench/streams.mjs [--levels 1,10,50,200] [--runs 3] [--streams-per-level N] [--json out.json]
//                          [--bare] [--floor] [--paced] [--no-metrics] [--node-arg FLAG ...]
//
// --floor measures bench/floor-relay.mjs instead of the bridge: a relay doing nothing but forwarding,
// the least any bridge costs in this topology. --paced makes the synthetic upstream send its first
// record alone and the rest 3 ms later (as a model streams), so time to first token is not
// measured behind the processing of a whole answer arriving at once. --no-metrics runs the bridge
// with `"metrics_enabled": false`, to see what its Prometheus metrics cost.
//
// Prints a table: time-to-first-token p50/p95/p99, streams/s, records/s, CPU ms per stream, peak
// RSS, plus the TTFT of reading the synthetic upstream directly (the baseline) and a 20 MB body.
import { spawn } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pairingSecret, processStats, root, startBridge, startScriptFlags, startWorkers } from './bench-processes.mjs';

const { values: args } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,10,50,200' },
    runs: { type: 'string', default: '3' },
    'streams-per-level': { type: 'string' },
    workers: { type: 'string', default: '4' },
    json: { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    bare: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    paced: { type: 'boolean', default: false },
    'no-metrics': { type: 'boolean', default: false },
  },
});
const LEVELS = args.levels.split(',').map(Number);
const RUNS = Number(args.runs);
const RECORDS = 200;
const RECORD_TEXT = 'abcdefg ';
const MODEL = 'bench-model';
const MODEL_ID = '0199f060-0000-7000-8000-000000000001';
const ARENA_ORIGIN = 'http://arena.bench.invalid';

// ---- the bridge and the fake workers as child processes (bench/bench-processes.mjs) -----------
const NODE_FLAGS = [...(args.bare || args.floor ? [] : startScriptFlags()), ...args['node-arg']];
const BRIDGE_ENTRY = args.floor ? join(root, 'bench/floor-relay.mjs') : join(root, 'dist/src/cli/main.js');

const startBench = (arenaUrl) => startBridge({
  entry: BRIDGE_ENTRY, nodeFlags: NODE_FLAGS, arenaUrl, models: { [MODEL]: MODEL_ID },
  config: args['no-metrics'] ? { metrics_enabled: false } : {},
});
const startBenchWorkers = (bridge, secret, count) => startWorkers({
  bridgeUrl: bridge.url, secret, origin: ARENA_ORIGIN, count, model: MODEL, modelId: MODEL_ID, extra: args.paced ? ['--paced'] : [],
});

// ---- clients -----------------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function streamOnce(bridgeUrl) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstToken = null;
    let records = 0;
    const request = http.request(`${bridgeUrl}/v1/chat/completions`, {
      method: 'POST', agent, headers: { 'content-type': 'application/json' },
    }, (response) => {
      if (response.statusCode !== 200) {
        let body = '';
        response.on('data', (d) => { body += d; });
        response.on('end', () => reject(new Error(`status ${response.statusCode}: ${body}`)));
        return;
      }
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        // Each record's text occurs once in the content, merged or not; count occurrences.
        for (let at = chunk.indexOf(RECORD_TEXT); at !== -1; at = chunk.indexOf(RECORD_TEXT, at + RECORD_TEXT.length)) {
          if (firstToken === null) firstToken = performance.now() - started;
          records += 1;
        }
      });
      response.on('end', () => resolve({ ttft: firstToken, records }));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'bench' }] }));
  });
}

function directOnce(upstreamUrl) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(upstreamUrl, { method: 'POST', agent }, (response) => {
      let first = null;
      response.on('data', () => { if (first === null) first = performance.now() - started; });
      response.on('end', () => resolve(first));
    });
    request.on('error', reject);
    request.end('{}');
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runLevel(concurrency) {
  const bridge = await startBench(ARENA_ORIGIN);
  let workers;
  try {
    const secret = await pairingSecret(bridge.url);
    workers = await startBenchWorkers(bridge, secret, Math.max(Number(args.workers), Math.ceil(concurrency / 4)));
    for (let i = 0; i < 5; i += 1) await streamOnce(bridge.url); // warm up
    const total = Number(args['streams-per-level'] ?? Math.max(200, concurrency * 4));
    const before = processStats(bridge.child.pid);
    const ttfts = [];
    let records = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const result = await streamOnce(bridge.url);
        ttfts.push(result.ttft);
        records += result.records;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const after = processStats(bridge.child.pid);
    ttfts.sort((a, b) => a - b);
    if (Math.round(records) !== total * RECORDS) throw new Error(`lost records: ${records} of ${total * RECORDS}`);
    return {
      concurrency, streams: total,
      ttftP50: percentile(ttfts, 50), ttftP95: percentile(ttfts, 95), ttftP99: percentile(ttfts, 99),
      streamsPerSecond: total / seconds, recordsPerSecond: records / seconds,
      cpuMsPerStream: (after.cpuMs - before.cpuMs) / total, peakRssMb: after.peakRss / 1048576,
    };
  } finally {
    await workers?.stop();
    bridge.child.kill('SIGTERM');
    await new Promise((resolve) => bridge.child.once('exit', resolve));
    rmSync(bridge.dir, { recursive: true, force: true });
  }
}

async function bigBody() {
  const bridge = await startBench(ARENA_ORIGIN);
  try {
    const before = processStats(bridge.child.pid).peakRss;
    const payload = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(20 * 1024 * 1024) }] });
    const response = await fetch(`${bridge.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    await response.text();
    const after = processStats(bridge.child.pid).peakRss;
    return { status: response.status, bodyMb: payload.length / 1048576, peakRssGrowthMb: (after - before) / 1048576 };
  } finally {
    bridge.child.kill('SIGTERM');
    await new Promise((resolve) => bridge.child.once('exit', resolve));
    rmSync(bridge.dir, { recursive: true, force: true });
  }
}

const upstreamProcess = spawn(process.execPath, [join(root, 'bench/fake-workers.mjs'), '--upstream-only', ...(args.paced ? ['--paced'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
const upstreamUrl = await new Promise((resolve) => {
  let output = '';
  upstreamProcess.stdout.on('data', (data) => {
    output += data;
    const match = /ready (\S+)/.exec(output);
    if (match) resolve(`${match[1]}/nextjs-api/stream/create-evaluation`);
  });
});
for (let i = 0; i < 20; i += 1) await directOnce(upstreamUrl);
const direct = [];
for (let i = 0; i < 200; i += 1) direct.push(await directOnce(upstreamUrl));
direct.sort((a, b) => a - b);
const results = [];
for (const level of LEVELS) {
  for (let run = 1; run <= RUNS; run += 1) {
    const result = await runLevel(level);
    results.push({ run, ...result });
    console.error(`c=${level} run ${run}: ${result.streamsPerSecond.toFixed(1)} streams/s`);
  }
}
const body = args.floor ? undefined : await bigBody();
upstreamProcess.stdin.end();
agent.destroy();

const f = (n, d = 2) => n.toFixed(d);
console.log(`${args.floor ? 'Floor relay (bench/floor-relay.mjs)' : 'Bridge'}: node ${NODE_FLAGS.join(' ') || '(no flags)'}; upstream ${args.paced ? 'paced' : 'all at once'}${args['no-metrics'] ? '; metrics off' : ''}`);
console.log(`Direct upstream TTFT (baseline): p50 ${f(percentile(direct, 50), 3)} ms, p95 ${f(percentile(direct, 95), 3)} ms`);
console.log('');
console.log('| concurrency | run | streams | TTFT p50 ms | p95 ms | p99 ms | streams/s | records/s | CPU ms/stream | peak RSS MB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.concurrency} | ${r.run} | ${r.streams} | ${f(r.ttftP50, 3)} | ${f(r.ttftP95, 3)} | ${f(r.ttftP99, 3)} | ${f(r.streamsPerSecond, 1)} | ${f(r.recordsPerSecond, 0)} | ${f(r.cpuMsPerStream)} | ${f(r.peakRssMb, 1)} |`);
}
const c1 = results.filter((r) => r.concurrency === 1).map((r) => r.ttftP50).sort((a, b) => a - b);
if (c1.length > 0) console.log(`\nAdded TTFT at concurrency 1 (median run p50 − direct p50): ${f(c1[Math.floor(c1.length / 2)] - percentile(direct, 50), 3)} ms`);
if (body) console.log(`20 MB body: status ${body.status}, body ${f(body.bodyMb, 1)} MB, bridge peak RSS growth ${f(body.peakRssGrowthMb, 1)} MB`);
if (args.json) writeFileSync(args.json, JSON.stringify({ direct: { p50: percentile(direct, 50) }, results, body }, null, 2));
