/** Prometheus metrics of a running bridge, read the way a scraper reads them. */
import { afterEach, describe, expect, it } from 'vitest';
import { connectNodeAgent } from '../../support/node-agent.js';
import { startTestBridge, type BridgeOverrides, type TestBridge } from '../../support/test-bridge.js';

let harness: TestBridge | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(bridge: BridgeOverrides = {}, fake: Parameters<typeof startTestBridge>[0] = {}): Promise<TestBridge> {
  harness = await startTestBridge({ ...fake, bridge });
  return harness;
}

/** The value of the one sample of `name` carrying every given label, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !(line.startsWith(`${name}{`) || line.startsWith(`${name} `))) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function scrape(bridge: TestBridge, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${bridge.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('GET /metrics', () => {
  it('counts requests, answers by model and outcome, first-output latency, workers and job outcomes', async () => {
    const bridge = await start();
    await connectNodeAgent(bridge);
    await bridge.waitForModels();
    const client = bridge.client();
    await client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'one' }] });
    const stream = await client.chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'two' }] });
    for await (const chunk of stream) void chunk;
    await expect(client.chat.completions.create({ model: 'no-such-model-x1', messages: [{ role: 'user', content: 'three' }] })).rejects.toThrow();
    await expect(client.chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: '[[fake:rate-limit]] four' }] })).rejects.toThrow();

    const { status, type, text } = await scrape(bridge);
    expect([status, type]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(sample(text, 'bridge_chat_completions_total', { model: 'fake-echo', stream: 'false', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bridge_chat_completions_total', { model: 'fake-echo', stream: 'true', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'bridge_chat_completions_total', { model: 'unknown', outcome: 'model_not_found' })).toBe(1);
    expect(sample(text, 'bridge_chat_completions_total', { model: 'fake-echo', outcome: 'rate_limited' })).toBe(1);
    expect(text).not.toContain('no-such-model-x1');
    expect(sample(text, 'bridge_chat_time_to_first_output_seconds_count', { model: 'fake-echo' })).toBe(2);
    expect(sample(text, 'bridge_chat_duration_seconds_count', { model: 'fake-echo', stream: 'true' })).toBe(1);
    expect(sample(text, 'bridge_http_requests_total', { method: 'POST', route: '/v1/chat/completions', status: '200' })).toBe(2);
    expect(sample(text, 'bridge_http_requests_total', { method: 'POST', route: '/v1/chat/completions', status: '429' })).toBe(1);
    expect(sample(text, 'bridge_worker_job_outcomes_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'bridge_worker_job_outcomes_total', { outcome: 'rate-limited' })).toBe(1);
    expect(sample(text, 'bridge_workers', { kind: 'userscript', hold: 'rate-limited' })).toBe(1);
    expect(sample(text, 'bridge_worker_capacity')).toBeGreaterThan(0);
    expect(sample(text, 'bridge_queue_waiting')).toBe(0);
    expect(sample(text, 'bridge_models_live')).toBeGreaterThan(0);
    expect(sample(text, 'bridge_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'bridge_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'bridge_event_loop_delay_seconds', { quantile: '0.99' })).toBeGreaterThanOrEqual(0);
    for (const state of ['serving', 'held', 'probing']) expect(sample(text, 'bridge_account_holds', { state }), state).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'bridge_account_holds_started_total')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'bridge_account_probes_rejected_total')).toBe(0);

    await fetch(`${bridge.url}/nowhere`);
    expect(sample((await scrape(bridge)).text, 'bridge_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
  });

  it('counts an answer the client walked away from as client_closed_request', async () => {
    const bridge = await start({}, { fake: { pacing: { chunkDelayMs: 50 } } });
    await connectNodeAgent(bridge);
    const stream = await bridge.client().chat.completions.create({ model: 'fake-echo', stream: true, messages: [{ role: 'user', content: 'long' }] });
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '') !== '') break;
    }
    const closed = async () => sample((await scrape(bridge)).text, 'bridge_chat_completions_total', { outcome: 'client_closed_request' });
    for (let attempt = 0; attempt < 50 && (await closed()) === undefined; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await closed()).toBe(1);
    expect(sample((await scrape(bridge)).text, 'bridge_chat_completions_total', { outcome: 'ok' })).toBeUndefined();
  });

  it('sits behind the API key when one is set', async () => {
    const bridge = await start({ server: { apiKey: 'metrics-key' } });
    expect((await scrape(bridge)).status).toBe(401);
    const allowed = await scrape(bridge, { authorization: 'Bearer metrics-key' });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('# TYPE bridge_chat_completions_total counter');
  });

  it('is not served with metrics_enabled: false', async () => {
    const bridge = await start({ server: { metricsEnabled: false } });
    const { status, text } = await scrape(bridge);
    expect(status).toBe(404);
    expect(text).toContain('route_not_found');
  });
});
