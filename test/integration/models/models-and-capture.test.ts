/**
 * The model catalog and id capture through the real bridge and a Node-hosted agent: the
 * /internal endpoints, `lmarena-bridge models` and `capture-ids` via runCli, /v1/models as the
 * fake's list changes, and "model not found" over HTTP.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { recordingIo, waitForText, type RecordingIo } from '../../../src/cli/test-support/recording-io.js';
import { DEFAULT_MODELS } from '../../../src/fake-arena/models.js';
import { createCapturedIdsStore, openStateDatabase } from '../../../src/storage/index.js';
import { connectNodeAgent } from '../../support/node-agent.js';
import { tempDirForTest } from '../../support/temp-dir.js';
import { startTestBridge, type TestBridge } from '../../support/test-bridge.js';
import { waitFor } from '../../support/wait-for.js';

let harness: TestBridge | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A RecordingIo in an empty directory, so no config.jsonc of the machine is read. */
async function cliIo(): Promise<RecordingIo> {
  const dir = await tempDirForTest('bridge-cli-');
  return recordingIo({ cwd: dir, homeDir: dir });
}

async function listed(bridge: TestBridge): Promise<string[]> {
  return (await bridge.client().models.list()).data.map((model) => model.id);
}

describe('the model catalog', () => {
  it('serves the whole arena list on /internal/models behind the API key, and `models` prints and saves it', async () => {
    harness = await startTestBridge({ bridge: { server: { apiKey: 'sekret' } } });
    await connectNodeAgent(harness);
    await harness.waitForModels();

    const anonymous = await fetch(`${harness.url}/internal/models`);
    expect(anonymous.status).toBe(401);
    const response = await fetch(`${harness.url}/internal/models?refresh=1`, { headers: { authorization: 'Bearer sekret' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { public_name: string; stealth: boolean; organization: string | null; capabilities: { input: string[]; output: string[] } }[] };
    expect(body.data.map((model) => model.public_name).sort()).toEqual(DEFAULT_MODELS.map((model) => model.publicName).sort());
    expect(body.data.find((model) => model.public_name === 'kiteki')).toMatchObject({ stealth: true, organization: null });
    expect(body.data.find((model) => model.public_name === 'fake-vision')?.capabilities.input).toEqual(['text', 'image']);
    expect(body.data.find((model) => model.public_name === 'fake-image')?.capabilities.output).toEqual(['image']);

    const io = await cliIo();
    const dataDir = join(io.cwd, 'data');
    const code = await runCli(['models', '--bridge-url', harness.url, '--api-key', 'sekret', '--data-dir', dataDir], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ORGANIZATION\s+INPUT\s+OUTPUT\s+STEALTH$/);
    expect(lines.find((line) => line.startsWith('fake-echo '))).toMatch(/^fake-echo\s+openai\s+text\s+text$/);
    expect(lines.find((line) => line.startsWith('kiteki '))).toMatch(/^kiteki\s+-\s+text\s+text\s+yes$/);
    expect(io.out()).toContain(`${DEFAULT_MODELS.length} models (1 stealth). Written to ${join(dataDir, 'available_models.json')}`);
    const saved = JSON.parse(await readFile(join(dataDir, 'available_models.json'), 'utf8')) as { public_name: string; id: string }[];
    expect(saved.map((model) => model.public_name)).toEqual(body.data.map((model) => model.public_name));
    expect(saved.find((model) => model.public_name === 'fake-echo')?.id).toBe(DEFAULT_MODELS[0]?.id);

    const refused = await cliIo();
    expect(await runCli(['models', '--bridge-url', harness.url, '--data-dir', dataDir], refused)).toBe(1);
    expect(refused.err()).toContain('HTTP 401');
    expect(refused.err()).toContain('--api-key');
  });

  it('`models` explains when no bridge runs or no worker can fetch the list', async () => {
    harness = await startTestBridge();
    const idle = await cliIo();
    expect(await runCli(['models', '--bridge-url', harness.url, '--data-dir', join(idle.cwd, 'data')], idle)).toBe(1);
    expect(idle.err()).toContain('HTTP 503');
    expect(idle.err()).toContain('userscript');
    const url = harness.url;
    await harness.close();
    harness = undefined;
    const down = await cliIo();
    expect(await runCli(['models', '--bridge-url', url, '--data-dir', join(down.cwd, 'data')], down)).toBe(1);
    expect(down.err()).toContain(`Cannot reach the bridge at ${url}`);
  });

  it('picks up a changed arena list on the refresh schedule; /v1/models hides stealth models', async () => {
    harness = await startTestBridge({ bridge: { arena: { modelRefreshMinutes: 0.01 } } });
    await connectNodeAgent(harness);
    await harness.waitForModels();
    expect(await listed(harness)).toContain('fake-echo');
    expect(await listed(harness)).not.toContain('kiteki');

    const renamed = DEFAULT_MODELS.map((model) => (model.publicName === 'fake-echo' ? { ...model, publicName: 'fake-echo-2' } : model));
    harness.fake.setModels(renamed);
    const bridge = harness;
    await waitFor(async () => (await listed(bridge)).includes('fake-echo-2'), '/v1/models to show the renamed model', 8_000);
    expect(await listed(harness)).not.toContain('fake-echo');

    const error = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((error as Error).message).toContain('Closest names: fake-echo-2');
  });

  it('lists stealth models with show_stealth_models', async () => {
    harness = await startTestBridge({ bridge: { arena: { showStealthModels: true } } });
    await connectNodeAgent(harness);
    await harness.waitForModels();
    const models = await harness.client().models.list();
    expect(models.data.map((model) => model.id)).toContain('kiteki');
    expect(models.data.find((model) => model.id === 'fake-vision')).toMatchObject({ owned_by: 'meta', capabilities: ['text', 'vision'] });
  });
});

describe('capture-ids', () => {
  it('arms the agent, stores the ids of the Retry request, and retry-replay chats use them', async () => {
    harness = await startTestBridge({ bridge: { arena: { protocol: 'retry-replay' } } });
    const session = harness.fake.createSession();
    const agent = await connectNodeAgent(harness, { identity: { userId: session.ownerId, cookie: session.cookie } });
    const before = await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect((before as Error).message).toContain('capture-ids');

    const io = await cliIo();
    const running = runCli(['capture-ids', '--bridge-url', harness.url, '--data-dir', harness.config.dataDir, '--mode', 'battle', '--target', 'b', '--timeout-seconds', '20'], io);
    await waitForText(io.out, 'Click Retry');
    await waitFor(() => agent.page.titlePrefixes.at(-1) === '🎯 ', 'the 🎯 title prefix');
    agent.page.pageRequest(`${harness.fake.url}/nextjs-api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.assistantMessageId}`);
    expect(await running).toBe(0);
    expect(io.out()).toContain(`Captured session_id ${session.sessionId}, message_id ${session.assistantMessageId} (battle, side B).`);
    expect(agent.page.titlePrefixes.at(-1)).not.toBe('🎯 ');

    await harness.client().chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content: 'Replay me' }] });
    const request = harness.fake.requests.at(-1);
    expect(request?.path).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.assistantMessageId}`);
    const positions = ((request?.body as { messages: { participantPosition: string }[] }).messages).map((message) => message.participantPosition);
    expect(positions).toEqual(['b']);

    // --model appends to that model's pool; the stored state is in the data dir's database.
    const pooled = await cliIo();
    const pooling = runCli(['capture-ids', '--bridge-url', harness.url, '--data-dir', harness.config.dataDir, '--model', 'fake-echo-pro'], pooled);
    await waitFor(() => agent.page.titlePrefixes.at(-1) === '🎯 ', 'the 🎯 title prefix again');
    agent.page.pageRequest(`${harness.fake.url}/api/stream/retry-evaluation-session-message/${session.sessionId}/messages/${session.userMessageId}`);
    expect(await pooling).toBe(0);
    expect(pooled.out()).toContain('Added to the pool of "fake-echo-pro" (1 id pair captured for it).');
    const database = openStateDatabase(harness.config.dataDir);
    try {
      const store = createCapturedIdsStore(database);
      expect(store.global()).toMatchObject({ sessionId: session.sessionId, messageId: session.assistantMessageId, mode: 'battle', battleTarget: 'B' });
      expect(store.pools()['fake-echo-pro']).toEqual([expect.objectContaining({ sessionId: session.sessionId, messageId: session.userMessageId, mode: 'direct_chat' })]);
    } finally {
      database.close();
    }
  });

  it('fails clearly without a worker, for an unknown model, and after the timeout', async () => {
    harness = await startTestBridge();
    const post = (body: unknown) => fetch(`${harness?.url}/internal/capture-ids`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const none = await post({});
    expect(none.status).toBe(503);
    const agent = await connectNodeAgent(harness);
    await harness.waitForModels();
    const unknown = await post({ model: 'fake-ecoh' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('fake-echo');
    const invalid = await post({ mode: 'sideways' });
    expect(invalid.status).toBe(400);

    const io = await cliIo();
    expect(await runCli(['capture-ids', '--bridge-url', harness.url, '--data-dir', harness.config.dataDir, '--timeout-seconds', '1'], io)).toBe(1);
    expect(io.err()).toContain('HTTP 504');
    expect(io.err()).toContain('No Retry request was seen within 1 s');
    await waitFor(() => agent.page.titlePrefixes.at(-1) === '✅ ', 'the 🎯 prefix to go away');
  });

  it('does not hold up shutdown while a capture waits', async () => {
    harness = await startTestBridge();
    const agent = await connectNodeAgent(harness);
    const waiting = fetch(`${harness.url}/internal/capture-ids`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"timeout_seconds":600}' })
      .then((response) => response.status, () => 'connection closed');
    await waitFor(() => agent.page.titlePrefixes.at(-1) === '🎯 ', 'the 🎯 title prefix');
    const started = Date.now();
    await harness.close();
    harness = undefined;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await waiting).toBe('connection closed');
  });
});
