import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { recordingIo } from './test-support/recording-io.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bridge-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const io = (env: Record<string, string | undefined> = {}) => recordingIo({ cwd: dir, homeDir: dir, env });

describe('runCli', () => {
  it('prints the version from package.json', async () => {
    const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const recorded = io();
    expect(await runCli(['--version'], recorded)).toBe(0);
    expect(recorded.out()).toBe(`${packageJson.version}\n`);
  });

  it('prints global help listing every command', async () => {
    for (const flag of ['--help', '-h']) {
      const recorded = io();
      expect(await runCli([flag], recorded)).toBe(0);
      expect(recorded.out()).toContain('Usage: lmarena-bridge [command] [options]');
      for (const name of ['serve', 'fake-arena', 'doctor']) expect(recorded.out()).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('prints per-command help, with config flags and their variables', async () => {
    const viaFlag = io();
    expect(await runCli(['serve', '--help'], viaFlag)).toBe(0);
    expect(viaFlag.out()).toContain('Usage: lmarena-bridge serve');
    expect(viaFlag.out()).toMatch(/--port <value> +port to bind \(default 5102\) \(env BRIDGE_PORT\)/);
    const viaHelp = io();
    expect(await runCli(['help', 'fake-arena'], viaHelp)).toBe(0);
    expect(viaHelp.out()).toContain('--pacing-ms <ms>');
    const short = io();
    expect(await runCli(['doctor', '-h'], short)).toBe(0);
    expect(short.out()).toContain('Usage: lmarena-bridge doctor');
  });

  it('rejects an unknown command or flag with exit code 2', async () => {
    const command = io();
    expect(await runCli(['launch'], command)).toBe(2);
    expect(command.err()).toContain('unknown command "launch"');
    const flag = io();
    expect(await runCli(['serve', '--prot', '1'], flag)).toBe(2);
    expect(flag.err()).toContain("Unknown option '--prot'");
    expect(flag.err()).toContain('Run "lmarena-bridge serve --help" for usage.');
  });

  it('reports an invalid configuration with every problem and exit code 2, without a stack trace', async () => {
    await writeFile(join(dir, 'config.jsonc'), '{ "port": "abc", "protocol": "gen-z" }');
    const recorded = io({ BRIDGE_LOG_LEVEL: 'loud' });
    expect(await runCli(['--port', 'x'], recorded)).toBe(2);
    const err = recorded.err();
    expect(err).toContain('Invalid configuration (4 problems):');
    expect(err).toContain('--port: expected an integer from 0 to 65535, got "x"');
    expect(err).toContain('BRIDGE_LOG_LEVEL: expected');
    expect(err).toContain('config.jsonc: port: expected');
    expect(err).toContain('config.jsonc: protocol: expected "current" or "retry-replay", got "gen-z"');
    expect(err).not.toMatch(/^\s+at /m);
    expect(recorded.out()).toBe('');
  });

  it('reports an unexpected failure in one line with exit code 1, and the stack only with --log-level debug', async () => {
    const args = ['serve', '--host', '256.0.0.1', '--api-key', 'k', '--port', '0', '--browser', 'off', '--data-dir', join(dir, 'data')];
    const plain = io();
    expect(await runCli(args, plain)).toBe(1);
    expect(plain.err()).toMatch(/^lmarena-bridge serve: .*ENOTFOUND.* \(run with --log-level debug for details\)\n$/);
    const debug = io();
    expect(await runCli([...args, '--log-level', 'debug'], debug)).toBe(1);
    expect(debug.err()).toMatch(/^\s+at /m);
  });

  it('checks an integer flag of a command without configuration', async () => {
    const recorded = io();
    expect(await runCli(['fake-arena', '--port', 'nope'], recorded)).toBe(2);
    expect(recorded.err()).toBe('--port: expected an integer from 0 to 65535, got "nope".\n');
  });
});
