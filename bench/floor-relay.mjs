#!/usr/bin/env node
// The floor of the streams benchmark: the least any bridge must do in its topology, with none of
// the bridge's work (no validation, planning, conversations, flow-control bookkeeping or error
// handling). It speaks just enough of the worker protocol for bench/fake-workers.mjs (hello,
// job-start, job-chunk, job-ack, job-end) over plain node:http and ws, and turns each `a0:` record
// into an SSE chunk. `node bench/streams.mjs --floor` measures it in place of the bridge, so the
// table shows what the extra processes and loopback hops cost by themselves.
//
// Not a product: it has no error handling and answers every POST as a chat completion.
import http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

const workers = [];
const jobs = new Map();
let nextWorker = 0;
let nextJob = 0;

function relay(response, worker, jobId) {
  let tail = '';
  let unacknowledged = 0;
  return {
    chunk(data) {
      const text = tail + data;
      let sse = '';
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const line = text.slice(start, end);
        start = end + 1;
        if (line.startsWith('a0:')) sse += `data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(JSON.parse(line.slice(3)))}},"finish_reason":null}]}\n\n`;
      }
      tail = text.slice(start);
      if (!response.headersSent) response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (sse !== '') response.write(sse);
      unacknowledged += 1;
      if (unacknowledged >= 32 && worker.readyState === WebSocket.OPEN) {
        worker.send(JSON.stringify({ type: 'job-ack', protocolVersion: 1, jobId, credit: unacknowledged }));
        unacknowledged = 0;
      }
    },
    end() {
      response.end('data: [DONE]\n\n');
      jobs.delete(jobId);
    },
  };
}

const server = http.createServer((request, response) => {
  if (request.url.startsWith('/userscript')) {
    response.end('{"secret":"floor"}');
    return;
  }
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    JSON.parse(Buffer.concat(parts).toString());
    const worker = workers[nextWorker++ % workers.length];
    const jobId = `job-${++nextJob}`;
    jobs.set(jobId, relay(response, worker, jobId));
    worker.send(JSON.stringify({ type: 'job-start', protocolVersion: 1, jobId, window: 64, request: { url: '/nextjs-api/stream/create-evaluation', method: 'POST', body: '{}' } }));
  });
});

new WebSocketServer({ server, path: '/ws/worker' }).on('connection', (socket) => {
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString());
    if (message.type === 'worker-hello') {
      socket.send(JSON.stringify({ type: 'hello-ack', protocolVersion: 1, workerId: `w${workers.length}`, heartbeatIntervalMs: 60_000 }));
      workers.push(socket);
    } else if (message.type === 'job-chunk') jobs.get(message.jobId)?.chunk(message.data);
    else if (message.type === 'job-end') jobs.get(message.jobId)?.end();
  });
});

server.listen(0, '127.0.0.1', () => console.log(`OpenAI base URL: http://127.0.0.1:${server.address().port}/v1`));
