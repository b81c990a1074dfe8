#!/usr/bin/env node
// Benchmark helper process: a synthetic upstream (200 `a0:` records, one network write each) and
// N fake workers that speak the real worker protocol to the bridge and relay the upstream one
// worker message per record, as a page forwards network chunks, within the job's credit window
// (one credit per record). Runs apart from the clients so the load generator's event loop does not
// delay the workers.
//
//   node bench/fake-workers.mjs --bridge URL --secret S --origin ORIGIN --workers N --model-id ID [--paced]
// Prints `ready <upstream-url>` on stdout once every worker is paired; exits when stdin closes,
// first saying on stderr how many jobs the bridge cancelled, and why, if it cancelled any.
import http from 'node:http';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: args } = parseArgs({
  options: {
    bridge: { type: 'string' }, secret: { type: 'string' }, origin: { type: 'string' },
    workers: { type: 'string', default: '4' }, 'model-id': { type: 'string' }, 'model': { type: 'string' },
    records: { type: 'string', default: '200' }, 'upstream-only': { type: 'boolean', default: false },
    paced: { type: 'boolean', default: false },
  },
});
const RECORDS = Number(args.records);
const RECORD_TEXT = 'abcdefg ';

const records = [];
for (let i = 0; i < RECORDS; i += 1) records.push(`a0:${JSON.stringify(RECORD_TEXT)}\n`);
records.push('ad:{"finishReason":"stop"}\n');
const catalog = JSON.stringify([{ arena: 'text', complete: true, models: [{
  id: args['model-id'], publicName: args.model, organization: 'bench', provider: 'bench',
  capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true } },
}] }]);

const upstream = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (request.url.includes('model-catalog')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(catalog);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const rest = () => {
      for (const record of args.paced ? records.slice(1) : records) response.write(record);
      response.end();
    };
    if (!args.paced) return rest();
    // Paced: the first record alone, the rest a moment later, as a model streams its answer.
    response.write(records[0]);
    setTimeout(rest, 3);
  });
});
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamBase = `http://127.0.0.1:${upstream.address().port}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

// `job-cancel`s from the bridge, by reason (running jobs, or jobs that ended here before the
// cancel came): a healthy benchmark gets none, so they are reported on stderr when the process
// ends (a credit overrun shows up here as `credit window exceeded`).
const cancelled = new Map();

function connectWorker() {
  const socket = new WebSocket(`${args.bridge.replace('http', 'ws')}/ws/worker`, { headers: { origin: args.origin } });
  const jobs = new Map();
  const send = (text) => socket.send(text);
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString());
    if (message.type === 'job-start') runJob(message);
    else if (message.type === 'job-ack') jobs.get(message.jobId)?.grant(message.credit);
    else if (message.type === 'job-cancel') {
      cancelled.set(message.reason, (cancelled.get(message.reason) ?? 0) + 1);
      jobs.get(message.jobId)?.cancel();
    }
  });
  // Flow control as a page keeps it (userscript/src/credit-gate.ts, run-job.ts): the job starts
  // with `window` credits, each `job-chunk` spends one and `job-ack` grants more. A page sends one
  // chunk per network read; these workers send one chunk per record, so they spend per record:
  // records read beyond the credit wait in `pending`, and the upstream is paused whenever records
  // wait or the credit is used up (a page waits for credit before its next read). On Node 24 a
  // whole reply can arrive in one read, so that one read is all a job ever holds.
  function runJob(message) {
    const jobId = message.jobId;
    const chunkPrefix = `{"type":"job-chunk","protocolVersion":1,"jobId":${JSON.stringify(jobId)},"data":`;
    let credit = message.window;
    let upstreamResponse = null;
    let ended = false;
    let finished = false;
    const pending = [];
    const finish = (text) => {
      finished = true;
      jobs.delete(jobId);
      if (text !== undefined) send(text);
    };
    const flush = () => {
      while (credit > 0 && pending.length > 0) {
        send(chunkPrefix + JSON.stringify(pending.shift()) + '}');
        credit -= 1;
      }
      if (pending.length === 0 && ended) finish(JSON.stringify({ type: 'job-end', protocolVersion: 1, jobId }));
      else if (pending.length > 0 || credit === 0) upstreamResponse?.pause();
      else upstreamResponse?.resume();
    };
    const upstreamRequest = http.request(`${upstreamBase}${message.request.url}`, { method: message.request.method, agent }, (response) => {
      upstreamResponse = response;
      send(JSON.stringify({ type: 'job-response', protocolVersion: 1, jobId, status: response.statusCode, headers: { 'content-type': response.headers['content-type'] } }));
      response.setEncoding('utf8');
      response.on('error', () => {}); // a cancelled job's body ends in an error nobody waits for
      let tail = '';
      response.on('data', (text) => {
        // One worker message per upstream record, however many records this read holds.
        let start = 0;
        text = tail + text;
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
          pending.push(text.slice(start, end + 1));
          start = end + 1;
        }
        tail = text.slice(start);
        flush();
      });
      response.on('end', () => {
        if (tail !== '') pending.push(tail);
        ended = true;
        flush();
      });
    });
    upstreamRequest.on('error', (error) => {
      if (!finished) finish(JSON.stringify({ type: 'job-error', protocolVersion: 1, jobId, reason: 'network', message: String(error) }));
    });
    upstreamRequest.end(message.request.body === undefined ? undefined : '{}');
    jobs.set(jobId, {
      grant: (n) => { credit += n; flush(); },
      cancel: () => {
        pending.length = 0;
        finish();
        upstreamRequest.destroy();
      },
    });
  }
  return new Promise((resolve, reject) => {
    socket.on('open', () => send(JSON.stringify({
      type: 'worker-hello', protocolVersion: 1, agentVersion: 'bench', host: 'userscript', secret: args.secret, capabilities: ['fetch'],
      page: { url: `${args.origin}/`, origin: args.origin, title: 'Arena', challenge: false, recaptchaReady: true,
        siteKey: 'bench', auth: 'signed-in', email: null, identity: 'bench-user' },
    })));
    socket.on('message', function onAck(raw) {
      if (JSON.parse(raw.toString()).type === 'hello-ack') { socket.off('message', onAck); resolve(socket); }
    });
    socket.on('error', reject);
    socket.on('close', (code, reason) => reject(new Error(`worker refused: ${code} ${reason}`)));
  });
}

if (!args['upstream-only']) await Promise.all(Array.from({ length: Number(args.workers) }, connectWorker));
process.stdout.write(`ready ${upstreamBase}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  if (cancelled.size > 0) {
    const reasons = [...cancelled].map(([reason, count]) => `${count} × ${reason}`).join(', ');
    process.stderr.write(`fake workers: the bridge cancelled jobs: ${reasons}\n`);
  }
  process.exit(0);
});
