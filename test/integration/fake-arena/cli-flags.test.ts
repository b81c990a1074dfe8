import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { recordingIo, waitForText } from '../../../src/cli/test-support/recording-io.js';
import { parseAccountFlagSpec, spkiSha256 } from '../../../src/fake-arena/index.js';
import { closeSession, h2Request, openSession } from './h2-client.js';

const io = (): ReturnType<typeof recordingIo> => recordingIo({ cwd: tmpdir(), homeDir: tmpdir() });

/** A direct create-evaluation against a fake started by the CLI, with a cookie and token from its admin API. */
async function createDirect(url: string, cookie: string): Promise<Response> {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> =>
    (await (await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  const { token } = await post('/__fake/mint-token', {});
  const { models } = (await (await fetch(`${url}/__fake/state`)).json()) as { models: { id: string }[] };
  const body = {
    id: crypto.randomUUID(), mode: 'direct', modelAId: models[0]?.id, userMessageId: crypto.randomUUID(), modelAMessageId: crypto.randomUUID(),
    userMessage: { content: 'hi' }, modality: 'chat', recaptchaV3Token: token,
  };
  return fetch(`${url}/nextjs-api/stream/create-evaluation`, { method: 'POST', headers: { cookie }, body: JSON.stringify(body) });
}

describe('lmarena-bridge fake-arena flags', () => {
  it('documents --allow-direct-create and --account-flag in --help', async () => {
    const help = io();
    expect(await runCli(['fake-arena', '--help'], help)).toBe(0);
    expect(help.out()).toContain('--allow-direct-create');
    expect(help.out()).toContain('--account-flag <n>/<seconds>[/<hold>]');
  });

  it('reads <n>/<seconds>[/<hold>] and refuses anything else with exit code 2', async () => {
    expect(parseAccountFlagSpec('3/60')).toEqual({ tripAfter: 3, withinSeconds: 60, holdSeconds: 1200 });
    expect(parseAccountFlagSpec(' 2/20/90 ')).toEqual({ tripAfter: 2, withinSeconds: 20, holdSeconds: 90 });
    for (const text of ['3', '3/60/', '0/60', '3/0', 'a/b', '3/60/90/1']) expect(parseAccountFlagSpec(text)).toBeUndefined();
    const bad = io();
    expect(await runCli(['fake-arena', '--port', '0', '--account-flag', '3-60'], bad)).toBe(2);
    expect(bad.err()).toContain('--account-flag: expected <requests>/<seconds>[/<hold seconds>]');
  });

  it('starts a fake that accepts direct on create and flags accounts as told', async () => {
    const recorded = io();
    const exit = runCli(['fake-arena', '--port', '0', '--allow-direct-create', '--account-flag', '2/60/45'], recorded);
    await waitForText(recorded.out, 'Press Ctrl+C to stop.');
    const url = /Fake LMArena is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(recorded.out())?.[1] ?? '';
    const { cookie } = (await (await fetch(`${url}/__fake/identities`, { method: 'POST', body: '{}' })).json()) as { cookie: string };
    const first = await createDirect(url, cookie);
    expect(first.status).toBe(200);
    await first.text();
    const second = await createDirect(url, cookie);
    expect([second.status, second.headers.get('retry-after'), await second.json()]).toEqual([403, '45', { error: 'recaptcha validation failed' }]);
    recorded.signals.emit('SIGTERM', 'SIGTERM');
    expect(await exit).toBe(0);
  });
});

describe('lmarena-bridge fake-arena --tls', () => {
  it('documents --tls, --tls-key and --tls-cert in --help', async () => {
    const help = io();
    expect(await runCli(['fake-arena', '--help'], help)).toBe(0);
    expect(help.out()).toContain('--tls ');
    expect(help.out()).toContain('--tls-key <file>, --tls-cert <file>');
  });

  it('refuses half a PEM pair or unreadable files with exit code 2', async () => {
    const half = io();
    expect(await runCli(['fake-arena', '--port', '0', '--tls-key', 'key.pem'], half)).toBe(2);
    expect(half.err()).toContain('--tls-key and --tls-cert go together');
    const missing = io();
    expect(await runCli(['fake-arena', '--port', '0', '--tls-key', 'no-such-key.pem', '--tls-cert', 'no-such-cert.pem'], missing)).toBe(2);
    expect(missing.err()).toContain('--tls-key/--tls-cert: cannot read the PEM files');
  });

  it('serves https over h2, writes the certificate, says how to trust it, and removes the file at shutdown', async () => {
    const recorded = io();
    const exit = runCli(['fake-arena', '--port', '0', '--tls'], recorded);
    await waitForText(recorded.out, 'Press Ctrl+C to stop.');
    const out = recorded.out();
    const url = /Fake LMArena is running at (https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
    const file = /is in (\S+\.pem)/.exec(out)?.[1] ?? '';
    const certificate = readFileSync(file, 'utf8');
    expect(out).toContain(`--ignore-certificate-errors-spki-list=${spkiSha256(certificate)}`);
    expect(out).toContain('--ignore-certificate-errors');
    expect(out).toContain(`NODE_EXTRA_CA_CERTS=${file}`);
    expect(out).toContain(`lmarena-bridge serve --arena-url ${url}`);
    const session = await openSession({ url, certificate });
    expect(session.alpnProtocol).toBe('h2');
    expect((await h2Request(session, { ':path': '/nextjs-api/model-catalog' })).headers[':status']).toBe(200);
    await closeSession(session);
    recorded.signals.emit('SIGTERM', 'SIGTERM');
    expect(await exit).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});
