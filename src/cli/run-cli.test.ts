import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { runCli } from './run-cli.js';
import { recordingIo } from './test-support/recording-io.js';

const dir = useTempDir('bridge-cli-');

const io = (env: Record<string, string | undefined> = {}) => recordingIo({ cwd: dir(), homeDir: dir(), env });

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
    await writeFile(join(dir(), 'config.jsonc'), '{ "port": "abc", "protocol": "gen-z" }');
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
    const args = ['serve', '--host', '256.0.0.1', '--api-key', 'k', '--port', '0', '--browser', 'off', '--data-dir', join(dir(), 'data')];
    const plain = io();
    expect(await runCli(args, plain)).toBe(1);
    expect(plain.err().trimEnd().split('\n').at(-1)).toMatch(/^lmarena-bridge serve: .*ENOTFOUND.* \(run with --log-level debug for details\)$/);
    expect(plain.err()).not.toMatch(/^\s+at /m);
    const debug = io();
    expect(await runCli([...args, '--log-level', 'debug'], debug)).toBe(1);
    expect(debug.err()).toMatch(/^\s+at /m);
  });

  it('logs readable lines to a terminal (coloured unless NO_COLOR), JSON lines elsewhere, as log_format says', async () => {
    const args = ['serve', '--host', '256.0.0.1', '--port', '0', '--browser', 'off', '--data-dir', join(dir(), 'data')];
    const logLine = /browser workers are off/;
    const terminal = (env: Record<string, string> = {}) => {
      const recorded = io(env);
      Object.assign(recorded.stderr, { isTTY: true });
      return recorded;
    };
    const lineOf = (text: string) => text.split('\n').find((line) => logLine.test(line)) ?? '';

    const coloured = terminal();
    await runCli(args, coloured);
    expect(lineOf(coloured.err())).toMatch(/^\d\d:\d\d:\d\d\.\d{3} /);
    expect(lineOf(coloured.err())).toContain(' \u001b[36mINFO \u001b[0m Automated browser workers are off');
    const plain = terminal({ NO_COLOR: '1' });
    await runCli(args, plain);
    expect(lineOf(plain.err())).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}Automated browser workers are off \(browser: "off"\); connect a userscript worker\.$/);
    const forced = terminal();
    await runCli([...args, '--log-format', 'json'], forced);
    expect(JSON.parse(lineOf(forced.err()))).toMatchObject({ level: 30, msg: expect.stringMatching(logLine) });

    const piped = io();
    await runCli(args, piped);
    expect(JSON.parse(lineOf(piped.err()))).toMatchObject({ level: 30 });
    const text = io({ BRIDGE_LOG_FORMAT: 'text' });
    await runCli(args, text);
    expect(lineOf(text.err())).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}/);
  });

  it('checks an integer flag of a command without configuration', async () => {
    const recorded = io();
    expect(await runCli(['fake-arena', '--port', 'nope'], recorded)).toBe(2);
    expect(recorded.err()).toBe('--port: expected an integer from 0 to 65535, got "nope".\n');
  });
});
