/** `GET /v1/bridge/events`: the events bus as Server-Sent Events, read with node:http as a client would. */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBridgeEvents, type BridgeEvent, type BridgeEvents } from '../../../src/observability/bridge-events.js';
import { useTestApp } from './start-test-app.js';

const start = useTestApp();

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** An open feed: frames as they arrive, parsed the way an SSE client parses them. */
interface Feed {
  status: number;
  headers: IncomingHttpHeaders;
  response: IncomingMessage;
  frames: Frame[];
  /** Every byte received so far. */
  text: string;
  /** True once the server ended the response normally. */
  ended: boolean;
  /** Frames that carry a bus event (an `id`). */
  busFrames(): Frame[];
}

function parseFrame(block: string): Frame {
  const frame: Frame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
    else if (line.startsWith('event: ')) frame.event = line.slice(7);
    else if (line.startsWith('data: ')) frame.data = frame.data === undefined ? line.slice(6) : `${frame.data}\n${line.slice(6)}`;
  }
  return frame;
}

async function openFeed(url: string, headers: Record<string, string> = {}): Promise<Feed> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = httpRequest(url, { headers }, resolve);
    outgoing.on('error', reject);
    outgoing.end();
  });
  let tail = '';
  const feed: Feed = {
    status: response.statusCode ?? 0,
    headers: response.headers,
    response,
    frames: [],
    text: '',
    ended: false,
    busFrames: () => feed.frames.filter((frame) => frame.id !== undefined),
  };
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    feed.text += chunk;
    const blocks = (tail + chunk).split('\n\n');
    tail = blocks.pop() ?? '';
    for (const block of blocks) feed.frames.push(parseFrame(block));
  });
  response.on('end', () => {
    feed.ended = true;
  });
  response.on('error', () => undefined);
  return feed;
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

async function startWithEvents(overrides: Parameters<typeof start>[0] = {}, apiKey?: string): Promise<{ origin: string; events: BridgeEvents; close(): Promise<void> }> {
  const events = createBridgeEvents();
  const { origin, close } = await start({ events, ...overrides }, apiKey);
  return { origin, events, close };
}

const joined: BridgeEvent = { type: 'worker.joined', at: 1_700_000_000_000, workerId: 'w1', kind: 'userscript', account: 'alice' };
const held: BridgeEvent = { type: 'account.held', at: 1_700_000_000_001, account: 'alice', until: 1_700_000_600_000, reason: 'security flag', action: 'open the arena and pass the check' };
const released: BridgeEvent = { type: 'account.released', at: 1_700_000_000_002, account: 'alice', reason: 'expired' };
const refreshed = (live: number): BridgeEvent => ({ type: 'models.refreshed', at: 1_700_000_000_003, live });

describe('GET /v1/bridge/events', () => {
  it('answers with SSE headers and `event: ready`, then every emitted event in order with increasing ids', async () => {
    const { origin, events } = await startWithEvents();
    const feed = await openFeed(`${origin}/v1/bridge/events`);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(feed.headers['cache-control']).toBe('no-cache');
    expect(feed.headers['x-request-id']).toBeTruthy();
    await until(() => feed.frames.length === 1);
    const ready = feed.frames[0];
    expect(ready?.event).toBe('ready');
    expect(ready?.id).toBeUndefined();
    expect(Math.abs((JSON.parse(ready?.data ?? '{}') as { at: number }).at - Date.now())).toBeLessThan(5000);
    expect(events.subscribers).toBe(1);

    events.emit(joined);
    events.emit(held);
    await sleep(20);
    events.emit(released);
    await until(() => feed.frames.length === 4);
    expect(feed.frames.slice(1).map((frame) => [frame.id, frame.event, JSON.parse(frame.data ?? 'null')])).toEqual([
      ['1', 'worker.joined', joined],
      ['2', 'account.held', held],
      ['3', 'account.released', released],
    ]);
    expect(feed.text.slice(feed.text.indexOf('id: 1'))).toMatchInlineSnapshot(`
      "id: 1
      event: worker.joined
      data: {"type":"worker.joined","at":1700000000000,"workerId":"w1","kind":"userscript","account":"alice"}

      id: 2
      event: account.held
      data: {"type":"account.held","at":1700000000001,"account":"alice","until":1700000600000,"reason":"security flag","action":"open the arena and pass the check"}

      id: 3
      event: account.released
      data: {"type":"account.released","at":1700000000002,"account":"alice","reason":"expired"}

      "
    `);
    feed.response.destroy();
  });

  it('sends only the types named in ?types= (comma-separated or repeated), numbering what it sends', async () => {
    const { origin, events } = await startWithEvents();
    const commas = await openFeed(`${origin}/v1/bridge/events?types=account.held,%20account.released`);
    const repeated = await openFeed(`${origin}/v1/bridge/events?types=models.refreshed&types=worker.joined`);
    await until(() => commas.frames.length === 1 && repeated.frames.length === 1);
    for (const event of [joined, refreshed(3), held, refreshed(4), released]) events.emit(event);
    await until(() => commas.frames.length === 3 && repeated.frames.length === 4);
    expect(commas.busFrames().map((frame) => [frame.id, frame.event])).toEqual([['1', 'account.held'], ['2', 'account.released']]);
    expect(repeated.busFrames().map((frame) => [frame.id, frame.event])).toEqual([['1', 'worker.joined'], ['2', 'models.refreshed'], ['3', 'models.refreshed']]);
    commas.response.destroy();
    repeated.response.destroy();
  });

  it('refuses an unknown or empty type filter with 400 naming the types param, without subscribing', async () => {
    const { origin, events } = await startWithEvents();
    const response = await fetch(`${origin}/v1/bridge/events?types=account.held,account.exploded`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; type: string; param: string; code: string } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'types', code: 'invalid_request' });
    expect(body.error.message).toContain('"account.exploded"');
    expect(body.error.message).toContain('account.released');
    const empty = await fetch(`${origin}/v1/bridge/events?types=,`);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { param: string } }).error.param).toBe('types');
    expect(events.subscribers).toBe(0);
  });

  it('sits behind the API key when one is set', async () => {
    const { origin, events } = await startWithEvents({ apiKeys: ['sk-events'] });
    const refused = await fetch(`${origin}/v1/bridge/events`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    expect(events.subscribers).toBe(0);
    const feed = await openFeed(`${origin}/v1/bridge/events`, { authorization: 'Bearer sk-events' });
    expect(feed.status).toBe(200);
    await until(() => feed.frames[0]?.event === 'ready');
    feed.response.destroy();
  });

  it('is not served without an events bus', async () => {
    const { origin } = await start();
    const response = await fetch(`${origin}/v1/bridge/events`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });

  it('unsubscribes when the client disconnects', async () => {
    const { origin, events } = await startWithEvents();
    const first = await openFeed(`${origin}/v1/bridge/events`);
    const second = await openFeed(`${origin}/v1/bridge/events`);
    await until(() => events.subscribers === 2);
    first.response.destroy();
    await until(() => events.subscribers === 1);
    second.response.destroy();
    await until(() => events.subscribers === 0);
    events.emit(joined);
  });

  it('keeps an idle stream alive with `: ping` comments', async () => {
    const { origin } = await startWithEvents({ pingIntervalMs: 15 });
    const feed = await openFeed(`${origin}/v1/bridge/events`);
    await until(() => feed.frames.some((frame) => frame.comment === 'ping'));
    expect(feed.frames[0]?.event).toBe('ready');
    feed.response.destroy();
  });

  it('ends open streams cleanly when the app closes', async () => {
    const { origin, events, close } = await startWithEvents();
    const feed = await openFeed(`${origin}/v1/bridge/events`);
    await until(() => feed.frames.length === 1);
    events.emit(joined);
    await until(() => feed.frames.length === 2);
    // Without the feed ending its streams, close would wait for the client to leave.
    await Promise.race([close(), sleep(3000).then(() => Promise.reject(new Error('app.close() waited for the open stream')))]);
    await until(() => feed.ended);
    expect(events.subscribers).toBe(0);
    expect(feed.text.endsWith('\n\n')).toBe(true);
  });
});

describe('a client that reads slowly', () => {
  it('loses the oldest events beyond the queue limit and is told how many, never more', async () => {
    const { origin, events } = await startWithEvents({ eventsQueueLimit: 4 });
    const feed = await openFeed(`${origin}/v1/bridge/events`);
    await until(() => feed.frames.length === 1);
    feed.response.pause();
    // 256 KiB events across turns of the loop: the socket buffers fill and writes start waiting.
    const reason = 'x'.repeat(256 * 1024);
    const bulk = 120;
    for (let index = 0; index < bulk; index += 1) {
      events.emit({ ...held, reason });
      await nextTurn();
    }
    events.emit(refreshed(1));
    events.emit(refreshed(2));
    feed.response.resume();
    await until(() => feed.busFrames().at(-1)?.data?.includes('"live":2') === true, 10_000);

    const dropped = feed.frames.filter((frame) => frame.event === 'dropped').map((frame) => JSON.parse(frame.data ?? '{}') as { count: number; at: number });
    expect(dropped.length).toBeGreaterThan(0);
    const received = feed.busFrames();
    expect(received.length + dropped.reduce((sum, frame) => sum + frame.count, 0)).toBe(bulk + 2);
    expect(received.slice(-2).map((frame) => JSON.parse(frame.data ?? 'null') as BridgeEvent)).toEqual([refreshed(1), refreshed(2)]);
    // Each `dropped` sits where the ids jump, and the jump is its count.
    let lastId = 0;
    let pending = 0;
    for (const frame of feed.frames.slice(1)) {
      if (frame.event === 'dropped') pending += (JSON.parse(frame.data ?? '{}') as { count: number }).count;
      if (frame.id === undefined) continue;
      expect(Number(frame.id)).toBe(lastId + 1 + pending);
      lastId = Number(frame.id);
      pending = 0;
    }
    expect(lastId).toBe(bulk + 2);
    feed.response.destroy();
  });

  it('a client that keeps up loses nothing, even from a burst larger than the queue limit', async () => {
    const { origin, events } = await startWithEvents({ eventsQueueLimit: 4 });
    const feed = await openFeed(`${origin}/v1/bridge/events`);
    await until(() => feed.frames.length === 1);
    for (let live = 1; live <= 50; live += 1) events.emit(refreshed(live));
    await until(() => feed.busFrames().length === 50);
    expect(feed.frames.some((frame) => frame.event === 'dropped')).toBe(false);
    expect(feed.busFrames().map((frame) => (JSON.parse(frame.data ?? 'null') as { live: number }).live)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    feed.response.destroy();
  });
});
