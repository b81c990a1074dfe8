#!/usr/bin/env node
// Streams benchmark (issue 3): N concurrent streaming chat completions through the bridge with
// fake workers. Each fake worker speaks the real worker protocol over WebSocket and relays a
// synthetic upstream (200 `a0:` records of ~8 characters, each its own network write) one worker
// message per record, as a real page forwards network chunks. The bridge runs as a child process
// so its CPU time and peak RSS are measured alone, started as `npm start` starts it (the Node flags
// of the package's start script; `--bare` leaves them out).
//
//   node bench/streams.mjs [--levels 1,10,50,200] [--runs 3] [--streams-per-level N] [--workers 4]
//                          [--json out.json] [--bare] [--floor] [--paced] [--no-metrics] [--node-arg=FLAG ...]
//   node bench/streams.mjs --help
//
// --floor measures bench/floor-relay.mjs instead of the bridge: a relay doing nothing but forwarding,
// the least any bridge costs in this topology. --paced makes the synthetic upstream send its first
// record alone and the rest 3 ms later (as a model streams), so time to first token is not
// measured behind the processing of a whole answer arriving at once. --no-metrics runs the bridge
// with `"metrics_enabled": false`, to see what its Prometheus metrics cost.
//
// Prints a table: time-to-first-token p50/p95/p99, streams/s, records/s, CPU ms per stream, peak
// RSS, plus the TTFT of reading the synthetic upstream directly (the baseline) and a 20 MB body.
// Every stream must bring all 200 records and end with `[DONE]`: a run where one does not stops
// the benchmark with a report on stderr (records lost, which streams, what their client saw) and
// exit status 1. A bad command line prints the usage and exits with status 2.
import { writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pairingSecret, processStats, root, startBridge, startNode, startScriptFlags, startWorkers } from './bench-processes.mjs';

const USAGE = `Usage: node bench/streams.mjs [options]

Streaming chat completions through the bridge (run as \`npm start\` runs it) with fake workers,
at each concurrency level; prints TTFT percentiles, streams/s, records/s, CPU ms/stream, peak RSS.

Options:
  --levels LIST            concurrency levels, comma-separated (default 1,10,50,200)
  --runs N                 runs per level, each with a fresh bridge (default 3)
  --streams-per-level N    streams per run (default max(200, 4 × concurrency))
  --workers N              fake workers; at least concurrency / 4 run (default 4)
  --json FILE              also write the results as JSON to FILE
  --bare                   run the bridge without the Node flags of the start script
  --floor                  measure bench/floor-relay.mjs (a do-nothing relay) instead of the bridge
  --paced                  the synthetic upstream sends its first record alone, the rest 3 ms later
  --no-metrics             run the bridge with "metrics_enabled": false
  --node-arg=FLAG          an extra Node flag for the bridge (repeatable; the = form, as FLAG
                           begins with '-')
  -h, --help               print this help and exit

A run that loses records (a stream without all 200 records or without [DONE]) stops the
benchmark, reports what was lost and what the clients saw, and exits with status 1.`;

function usageError(message) {
  process.stderr.write(`streams.mjs: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  if (!String(error.code).startsWith('ERR_PARSE_ARGS_')) throw error;
  // After the first sentence of these two, parseArgs advises on positionals beginning with '-'.
  const advice = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL';
  usageError(advice ? error.message.split('. ')[0] : error.message.replace(/\s*\n\s*/g, ' '));
}
const args = parsed.values;
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const positiveInteger = (flag, text) => {
  if (!/^[1-9]\d*$/.test(text)) usageError(`--${flag} wants a positive integer, not ${JSON.stringify(text)}`);
  return Number(text);
};
const LEVELS = args.levels.split(',').map((level) => positiveInteger('levels', level.trim()));
const RUNS = positiveInteger('runs', args.runs);
const WORKERS = positiveInteger('workers', args.workers);
const STREAMS_PER_LEVEL = args['streams-per-level'] === undefined ? undefined : positiveInteger('streams-per-level', args['streams-per-level']);
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

// A stream with no byte for this long is given up (and reported), so a stalled run ends.
const STALL_MS = 60_000;

/**
 * One streamed chat completion. Never rejects: resolves with what the client saw (HTTP status,
 * records of content, finish_reason, an in-stream error, `[DONE]`, a transport error), which the
 * run checks and, when records are missing, reports.
 */
function streamOnce(bridgeUrl) {
  return new Promise((resolve) => {
    const started = performance.now();
    const seen = { status: null, id: null, ttft: null, records: 0, finishReason: null, streamError: null, done: false, body: '', failure: null };
    let buffer = '';
    let settled = false;
    const settle = (failure) => {
      if (settled) return;
      settled = true;
      if (failure !== undefined) seen.failure = failure;
      resolve(seen);
    };
    // One SSE event: `data: [DONE]` or a chunk; content is counted in records of RECORD_TEXT.
    const onEvent = (event) => {
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice(6);
        if (data === '[DONE]') { seen.done = true; continue; }
        let chunk;
        try {
          chunk = JSON.parse(data);
        } catch {
          seen.failure ??= `an event that is not JSON: ${data.slice(0, 200)}`;
          continue;
        }
        if (chunk.error) { seen.streamError = chunk.error; continue; }
        seen.id ??= chunk.id ?? null;
        const choice = chunk.choices?.[0];
        const content = choice?.delta?.content;
        if (typeof content === 'string' && content !== '') {
          if (seen.ttft === null) seen.ttft = performance.now() - started;
          for (let at = content.indexOf(RECORD_TEXT); at !== -1; at = content.indexOf(RECORD_TEXT, at + RECORD_TEXT.length)) seen.records += 1;
        }
        if (choice?.finish_reason) seen.finishReason = choice.finish_reason;
      }
    };
    const request = http.request(`${bridgeUrl}/v1/chat/completions`, {
      method: 'POST', agent, headers: { 'content-type': 'application/json' },
    }, (response) => {
      seen.status = response.statusCode;
      response.setEncoding('utf8');
      response.on('data', (text) => {
        if (seen.status !== 200) { seen.body += text; return; }
        // Events are parsed whole: a read may end in the middle of one.
        buffer += text;
        let start = 0;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n', start)) {
          onEvent(buffer.slice(start, end));
          start = end + 2;
        }
        buffer = buffer.slice(start);
      });
      response.on('end', () => settle());
      response.on('error', (error) => settle(`the response broke off: ${error.message}`));
    });
    request.setTimeout(STALL_MS, () => request.destroy(new Error(`no byte for ${STALL_MS / 1000} s`)));
    request.on('error', (error) => settle(`${seen.status === null ? 'the request failed' : 'the response broke off'}: ${error.message}`));
    request.end(JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'bench' }] }));
  });
}

/** A stream is complete when it brought every record and ended as a stream ends: `[DONE]`, no error. */
const complete = (seen) => seen.status === 200 && seen.records === RECORDS && seen.done && seen.streamError === null && seen.failure === null;

/** What the client of an incomplete stream saw, in one line; `counted` false leaves out the count. */
function describe(seen, counted = true) {
  if (seen.status === null) return seen.failure;
  if (seen.status !== 200) return `HTTP ${seen.status}: ${seen.body.replace(/\s+/g, ' ').slice(0, 300)}${seen.failure ? `; ${seen.failure}` : ''}`;
  const error = seen.streamError;
  return [
    counted ? `HTTP 200, ${seen.records} of ${RECORDS} records` : `HTTP 200, ${seen.records === RECORDS ? 'all' : 'missing'} records`,
    error ? `error event ${error.code ?? error.type ?? ''}: ${error.message}` : 'no error event',
    `finish_reason ${seen.finishReason ?? 'none'}`,
    seen.done ? '[DONE]' : 'no [DONE]',
    ...(seen.failure ? [seen.failure] : []),
  ].join(', ');
}

/** Thrown by a run whose streams lost records; its message is the whole report. */
class LostRecords extends Error {}

function lossReport(label, streams, bridge) {
  const incomplete = streams.filter(({ seen }) => !complete(seen));
  const lost = incomplete.reduce((sum, { seen }) => sum + Math.max(0, RECORDS - seen.records), 0);
  const lines = [`${label}: lost ${lost} of ${streams.length * RECORDS} records (${RECORDS} expected per stream); ${incomplete.length} of ${streams.length} streams incomplete.`];
  // What the clients saw, most common first (without the records count and job ids, so alike
  // failures group).
  const kinds = new Map();
  for (const { seen } of incomplete) {
    const kind = describe(seen, false).replace(/\bjob-[\w-]+/g, 'job-…');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  lines.push('What the clients saw:');
  for (const [kind, count] of [...kinds].sort((x, y) => y[1] - x[1])) lines.push(`  ${count} × ${kind}`);
  const SHOWN = 20;
  lines.push('Streams (number in the run; expected vs received records; what the client saw):');
  for (const { number, seen } of incomplete.slice(0, SHOWN)) {
    lines.push(`  stream ${number}${seen.id ? ` (${seen.id})` : ''}: ${RECORDS} expected, ${seen.records} received; ${describe(seen)}`);
  }
  if (incomplete.length > SHOWN) lines.push(`  … and ${incomplete.length - SHOWN} more`);
  if (bridge.child.exitCode !== null || bridge.child.signalCode !== null) lines.push(`The bridge exited during the run (${bridge.child.exitCode ?? bridge.child.signalCode}).`);
  // What it logged after its startup banner (which ends with `Press Ctrl+C to stop.`; the floor's is one line).
  let log = bridge.output().split('\n');
  log = log.slice(log.findIndex((line) => line.includes('Press Ctrl+C to stop')) + 1)
    .filter((line) => line.trim() !== '' && !line.includes('OpenAI base URL'));
  lines.push(log.length === 0 ? 'The bridge logged nothing at level error.' : `The bridge logged (last ${Math.min(10, log.length)} of ${log.length} lines):`);
  lines.push(...log.slice(-10).map((line) => `  ${line.slice(0, 400)}`));
  return lines.join('\n');
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

async function runLevel(concurrency, run) {
  const bridge = await startBench(ARENA_ORIGIN);
  let workers;
  try {
    const secret = await pairingSecret(bridge.url);
    workers = await startBenchWorkers(bridge, secret, Math.max(WORKERS, Math.ceil(concurrency / 4)));
    const label = `c=${concurrency} run ${run}`;
    const warmUp = [];
    for (let i = 1; i <= 5; i += 1) warmUp.push({ number: `${i} of the warm-up`, seen: await streamOnce(bridge.url) });
    if (!warmUp.every(({ seen }) => complete(seen))) throw new LostRecords(lossReport(`${label}, warm-up`, warmUp, bridge));
    const total = STREAMS_PER_LEVEL ?? Math.max(200, concurrency * 4);
    const before = processStats(bridge.child.pid);
    const streams = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const number = next;
        streams.push({ number, seen: await streamOnce(bridge.url) });
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    if (!streams.every(({ seen }) => complete(seen))) throw new LostRecords(lossReport(label, streams.sort((x, y) => x.number - y.number), bridge));
    const after = processStats(bridge.child.pid);
    const ttfts = streams.map(({ seen }) => seen.ttft).sort((a, b) => a - b);
    return {
      concurrency, streams: total,
      ttftP50: percentile(ttfts, 50), ttftP95: percentile(ttfts, 95), ttftP99: percentile(ttfts, 99),
      streamsPerSecond: total / seconds, recordsPerSecond: (total * RECORDS) / seconds,
      cpuMsPerStream: (after.cpuMs - before.cpuMs) / total, peakRssMb: after.peakRss / 1048576,
    };
  } finally {
    await workers?.stop();
    await stopBridge(bridge);
  }
}

async function stopBridge(bridge) {
  if (bridge.child.exitCode === null && bridge.child.signalCode === null) {
    bridge.child.kill('SIGTERM');
    await new Promise((resolve) => bridge.child.once('exit', resolve));
  }
  rmSync(bridge.dir, { recursive: true, force: true });
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
    await stopBridge(bridge);
  }
}

const { child: upstreamProcess, match: upstreamReady } = await startNode([join(root, 'bench/fake-workers.mjs'), '--upstream-only', ...(args.paced ? ['--paced'] : [])], /ready (\S+)/, { what: 'the synthetic upstream' });
const upstreamUrl = `${upstreamReady[1]}/nextjs-api/stream/create-evaluation`;
for (let i = 0; i < 20; i += 1) await directOnce(upstreamUrl);
const direct = [];
for (let i = 0; i < 200; i += 1) direct.push(await directOnce(upstreamUrl));
direct.sort((a, b) => a - b);
const results = [];
try {
  for (const level of LEVELS) {
    for (let run = 1; run <= RUNS; run += 1) {
      const result = await runLevel(level, run);
      results.push({ run, ...result });
      console.error(`c=${level} run ${run}: ${result.streamsPerSecond.toFixed(1)} streams/s`);
    }
  }
} catch (error) {
  if (!(error instanceof LostRecords)) throw error;
  console.error(`${error.message}\nThe benchmark stopped: its numbers would not be of whole streams.`);
  upstreamProcess.stdin.end();
  agent.destroy();
  process.exit(1);
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
