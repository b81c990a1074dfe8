#!/usr/bin/env node
// Benchmark helper process: a synthetic upstream (200 `a0:` records, one network write each) and
// N fake workers that speak the real worker protocol to the bridge and relay the upstream one
// worker message per record, as a page forwards network chunks. Runs apart from the clients so the
// load generator's event loop does not delay the workers.
//
//   node bench/fake-workers.mjs --bridge URL --secret S --origin ORIGIN --workers N --model-id ID [--paced]
// Prints `ready <upstream-url>` on stdout once every worker is paired; exits when stdin closes.
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

function connectWorker() {
  const socket = new WebSocket(`${args.bridge.replace('http', 'ws')}/ws/worker`, { headers: { origin: args.origin } });
  const jobs = new Map();
  const send = (text) => socket.send(text);
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString());
    if (message.type === 'job-start') runJob(message);
    else if (message.type === 'job-ack') jobs.get(message.jobId)?.grant(message.credit);
    else if (message.type === 'job-cancel') jobs.get(message.jobId)?.abort();
  });
  function runJob(message) {
    const id = JSON.stringify(message.jobId);
    const chunkPrefix = `{"type":"job-chunk","protocolVersion":1,"jobId":${id},"data":`;
    let credit = message.window;
    let paused = null;
    let ended = false;
    // Records beyond the credit wait here (a page keeps what it read but may not send yet); the
    // upstream is paused meanwhile, so at most one network read is held.
    const pending = [];
    const flush = () => {
      while (credit > 0 && pending.length > 0) {
        send(chunkPrefix + JSON.stringify(pending.shift()) + '}');
        credit -= 1;
      }
      if (pending.length > 0) return;
      if (ended) {
        send(JSON.stringify({ type: 'job-end', protocolVersion: 1, jobId: message.jobId }));
        jobs.delete(message.jobId);
      } else if (paused) {
        paused.resume();
        paused = null;
      }
    };
    const upstreamRequest = http.request(`${upstreamBase}${message.request.url}`, { method: message.request.method, agent }, (response) => {
      send(JSON.stringify({ type: 'job-response', protocolVersion: 1, jobId: message.jobId, status: response.statusCode, headers: { 'content-type': response.headers['content-type'] } }));
      response.setEncoding('utf8');
      let tail = '';
      response.on('data', (text) => {
        // One worker message per upstream record.
        let start = 0;
        text = tail + text;
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
          pending.push(text.slice(start, end + 1));
          start = end + 1;
        }
        tail = text.slice(start);
        flush();
        if (pending.length > 0) { response.pause(); paused = response; }
      });
      response.on('end', () => {
        if (tail !== '') pending.push(tail);
        ended = true;
        flush();
      });
    });
    upstreamRequest.on('error', (error) => {
      send(JSON.stringify({ type: 'job-error', protocolVersion: 1, jobId: message.jobId, reason: 'network', message: String(error) }));
      jobs.delete(message.jobId);
    });
    upstreamRequest.end(message.request.body === undefined ? undefined : '{}');
    jobs.set(message.jobId, {
      grant: (n) => { credit += n; flush(); },
      abort: () => upstreamRequest.destroy(),
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
process.stdin.on('end', () => process.exit(0));
