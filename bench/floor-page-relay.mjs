#!/usr/bin/env node
// The floor of the browser benchmark (bench/browser-path.mjs): the least any bridge must do on the
// path users run, with none of the bridge's work. A do-nothing page script (served at
// /floor-agent.js, installed in Chromium as the userscript would be) connects to this relay over a
// WebSocket; for each chat completion the relay builds a create-evaluation body with fresh ids and
// sends it to a page, the page adds a reCAPTCHA token (minted ahead, the same way the bridge's
// agent does: a few ready, one minted after each use), fetches the fake's stream and forwards each
// raw chunk it reads over the socket, and the relay turns the `a0:` records into SSE chunks.
//
//   node bench/floor-page-relay.mjs --arena https://127.0.0.1:PORT --model-id ID [--dist dist]
//
// Prints `ready http://127.0.0.1:PORT` once listening. No flow control, validation, retries,
// conversations or error handling: a measuring stick, not a product.
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { root } from './bench-processes.mjs';

const { values: args } = parseArgs({
  options: {
    arena: { type: 'string' },
    'model-id': { type: 'string' },
    dist: { type: 'string', default: join(root, 'dist') },
    tokens: { type: 'string', default: '2' },
  },
});
const { buildCreateEvaluation, RECAPTCHA_V3_SITE_KEY } = await import(pathToFileURL(join(args.dist, 'src/arena/index.js')).href);

const pages = [];
let next = 0;
let counter = 0;
const streams = new Map();

function pageScript(wsUrl) {
  return `(() => {
  if (location.origin !== ${JSON.stringify(new URL(args.arena).origin)}) return;
  const POOL = ${Number(args.tokens)};
  const tokens = [];
  let minting = 0;
  const client = () => window.grecaptcha && window.grecaptcha.enterprise;
  const mint = () => client().execute(${JSON.stringify(RECAPTCHA_V3_SITE_KEY)}, { action: 'chat_submit' });
  const refill = () => {
    if (!client()) return;
    while (tokens.length + minting < POOL) {
      minting += 1;
      mint().then((token) => { minting -= 1; tokens.push(token); }, () => { minting -= 1; });
    }
  };
  const connect = () => {
    const ws = new WebSocket(${JSON.stringify(wsUrl)});
    ws.onopen = () => refill();
    ws.onclose = () => setTimeout(connect, 500);
    ws.onmessage = async (event) => {
      const job = JSON.parse(event.data);
      const token = tokens.length > 0 ? tokens.shift() : await mint();
      setTimeout(refill, 0);
      const body = JSON.stringify({ ...job.body, recaptchaV3Token: token });
      const response = await fetch(job.url, { method: 'POST', headers: job.headers, body, credentials: 'include' });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        ws.send(job.id + '\\n' + decoder.decode(value, { stream: true }));
      }
      ws.send(job.id + '\\n');
    };
  };
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', connect); else connect();
})();`;
}

function sse(response, content, id) {
  response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`);
}

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/floor-agent.js') {
    const address = server.address();
    response.writeHead(200, { 'content-type': 'text/javascript' });
    response.end(pageScript(`ws://127.0.0.1:${address.port}/ws`));
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (text += chunk));
  request.on('end', () => {
    const prompt = JSON.parse(text).messages.at(-1).content;
    const built = buildCreateEvaluation({ mode: 'direct-battle', modelAId: args['model-id'], modality: 'chat', prompt });
    const id = String((counter += 1));
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    streams.set(id, { response, tail: '' });
    const page = pages[next++ % pages.length];
    page.send(JSON.stringify({ id, url: built.request.url, headers: built.request.headers, body: built.request.body.value }));
  });
});

const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (socket) => {
  pages.push(socket);
  socket.on('close', () => pages.splice(pages.indexOf(socket), 1));
  socket.on('message', (data) => {
    const message = data.toString();
    const newline = message.indexOf('\n');
    const id = message.slice(0, newline);
    const stream = streams.get(id);
    if (!stream) return;
    const chunk = message.slice(newline + 1);
    if (chunk === '') {
      stream.response.end('data: [DONE]\n\n');
      streams.delete(id);
      return;
    }
    const lines = (stream.tail + chunk).split('\n');
    stream.tail = lines.pop();
    for (const line of lines) if (line.startsWith('a0:')) sse(stream.response, JSON.parse(line.slice(3)), id);
  });
});

server.listen(0, '127.0.0.1', () => console.log(`ready http://127.0.0.1:${server.address().port} pages`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
