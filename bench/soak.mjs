#!/usr/bin/env node
// Soak benchmark (hardening issue): a mixed load of valid, invalid and aborted requests through the
// bridge with fake workers for several minutes, then a quiet minute. The bridge runs as a child
// process started as `npm start` starts it (its Node flags), so its RSS is measured alone.
//
//   node bench/soak.mjs [--minutes 10] [--concurrency 16] [--idle-seconds 60] [--seed 1] [--json out.json]
//                       [--node-arg FLAG ...]
//
// Reports RSS over time (idle before, peak, and the quiet minute after), requests and errors by
// code, and any request that took longer than its deadline. The mix, per request: 40 % streamed
// answers read to the end, 17 % whole answers, 20 % invalid (bad JSON, wrong types, unknown model,
// no user message, unknown route), 3 % large bodies (1–12 MB prompts the bridge refuses as too
// long, and 20 MB bodies over the limit), 20 % aborted (before the answer, or after its first chunk).
import http from 'node:http';
import { loadavg } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pairingSecret, processStats, startBridge, startScriptFlags, startWorkers } from './bench-processes.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    'idle-seconds': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const MODEL = 'bench-model';
const MODEL_ID = '0199f060-0000-7000-8000-000000000001';
const ARENA_ORIGIN = 'http://arena.bench.invalid';
const RECORDS = 200;
const DEADLINE_MS = 30_000;
const LOAD_MS = Number(args.minutes) * 60_000;
const IDLE_MS = Number(args['idle-seconds']) * 1000;
const NODE_FLAGS = [...startScriptFlags(), ...args['node-arg']];

// A small seeded generator (mulberry32), so two runs send the same mix.
let seed = Number(args.seed) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const valid = (stream) => JSON.stringify({ model: MODEL, stream, messages: [{ role: 'user', content: `soak ${random()}` }] });
const INVALID = [
  () => ({ path: '/v1/chat/completions', body: '{"model": "bench-model", "messages": [' }),
  () => ({ path: '/v1/chat/completions', body: JSON.stringify({ model: 42, messages: 'hello' }) }),
  () => ({ path: '/v1/chat/completions', body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }) }),
  () => ({ path: '/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages: [{ role: 'system', content: 'only system' }] }) }),
  () => ({ path: '/v1/nothing-here', body: '{}' }),
];

/** One request; resolves with its outcome (`ok`, an error code, `aborted`, or a network error). */
function send({ path, body, abortAfter, stream }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (outcome) => resolve({ outcome, ms: performance.now() - started });
    const request = http.request(`${bridgeUrl}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
        if (abortAfter === 'first-chunk') {
          request.destroy();
          done('aborted');
        }
      });
      response.on('end', () => {
        if (response.statusCode !== 200) {
          let code = `status ${response.statusCode}`;
          try {
            code = JSON.parse(text).error.code ?? code;
          } catch {
            code = `${code} (not OpenAI-shaped)`;
          }
          return done(code);
        }
        const count = text.split('abcdefg').length - 1;
        done(count === RECORDS || !stream ? 'ok' : `incomplete (${count} records)`);
      });
      response.on('error', () => undefined);
    });
    request.on('error', (error) => done(abortAfter === undefined ? `network ${error.code ?? error.message}` : 'aborted'));
    request.setTimeout(DEADLINE_MS * 2, () => request.destroy(new Error('client timeout')));
    request.end(body);
    if (typeof abortAfter === 'number') setTimeout(() => { request.destroy(); done('aborted'); }, abortAfter);
  });
}

function nextRequest() {
  const roll = random();
  if (roll < 0.4) return { path: '/v1/chat/completions', body: valid(true), stream: true };
  if (roll < 0.57) return { path: '/v1/chat/completions', body: valid(false), stream: false };
  if (roll < 0.6) {
    const megabytes = random() < 0.8 ? 1 + Math.floor(random() * 12) : 20;
    return { path: '/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(megabytes * 1048576) }] }) };
  }
  if (roll < 0.8) return INVALID[Math.floor(random() * INVALID.length)]();
  return random() < 0.5
    ? { path: '/v1/chat/completions', body: valid(true), stream: true, abortAfter: Math.floor(random() * 15) }
    : { path: '/v1/chat/completions', body: valid(true), stream: true, abortAfter: 'first-chunk' };
}

const mb = (bytes) => bytes / 1048576;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const bridge = await startBridge({ nodeFlags: NODE_FLAGS, arenaUrl: ARENA_ORIGIN, models: { [MODEL]: MODEL_ID } });
const bridgeUrl = bridge.url;
const workers = await startWorkers({
  bridgeUrl, secret: await pairingSecret(bridgeUrl), origin: ARENA_ORIGIN, count: 4, model: MODEL, modelId: MODEL_ID, extra: ['--paced'],
});
const samples = [];
const sample = (phase) => {
  const stats = processStats(bridge.child.pid);
  samples.push({ at: Math.round((performance.now() - t0) / 1000), phase, rssMb: mb(stats.rss), load1: loadavg()[0] });
  return stats;
};
const t0 = performance.now();
try {
  for (let i = 0; i < 20; i += 1) await send({ path: '/v1/chat/completions', body: valid(true), stream: true });
  await sleep(10_000);
  const idle = sample('idle before');
  console.error(`idle RSS ${mb(idle.rss).toFixed(1)} MB; loading for ${args.minutes} min at concurrency ${args.concurrency}`);

  const outcomes = new Map();
  const late = [];
  let total = 0;
  const loadEnds = performance.now() + LOAD_MS;
  const sampler = setInterval(() => sample('load'), 5000);
  await Promise.all(Array.from({ length: Number(args.concurrency) }, async () => {
    while (performance.now() < loadEnds) {
      const request = nextRequest();
      const result = await send(request);
      total += 1;
      outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
      if (result.ms > DEADLINE_MS) late.push({ ...result, path: request.path });
    }
  }));
  clearInterval(sampler);
  const loaded = sample('load end');
  for (let waited = 0; waited < IDLE_MS; waited += 5000) {
    await sleep(5000);
    sample('quiet');
  }
  const after = sample('quiet end');
  const peak = Math.max(...samples.map((entry) => entry.rssMb));

  console.log(`Soak: node ${NODE_FLAGS.join(' ')}; ${args.minutes} min at concurrency ${args.concurrency}, then ${args['idle-seconds']} s quiet; load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  console.log('');
  console.log(`| RSS MB | idle before | peak | load end | ${args['idle-seconds']} s after load | after − idle |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(`| bridge | ${mb(idle.rss).toFixed(1)} | ${peak.toFixed(1)} | ${mb(loaded.rss).toFixed(1)} | ${mb(after.rss).toFixed(1)} | ${(mb(after.rss) - mb(idle.rss)).toFixed(1)} |`);
  console.log('');
  console.log(`${total} requests; outcomes:`);
  for (const [outcome, count] of [...outcomes].sort((a, b) => b[1] - a[1])) console.log(`  ${outcome}: ${count}`);
  console.log(`requests over their ${DEADLINE_MS / 1000} s deadline: ${late.length}`);
  console.log('');
  console.log('RSS over time (every 30 s): ' + samples.filter((entry, index) => index === 0 || entry.at % 30 < 5 || entry.phase !== 'load').map((entry) => `${entry.at}s ${entry.rssMb.toFixed(0)}`).join(', '));
  if (args.json) writeFileSync(args.json, JSON.stringify({ nodeFlags: NODE_FLAGS, samples, outcomes: Object.fromEntries(outcomes), late, total }, null, 2));
} finally {
  await workers.stop();
  bridge.child.kill('SIGTERM');
  await new Promise((resolve) => bridge.child.once('exit', resolve));
  rmSync(bridge.dir, { recursive: true, force: true });
  agent.destroy();
}
