import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { recordingIo } from '../../../src/cli/test-support/recording-io.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir('bridge-login-cli-');

describe('lmarena-bridge login', () => {
  it('is listed in the help and explains itself', async () => {
    const io = recordingIo({ cwd: dir(), homeDir: dir() });
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^ {2}login /m);
    const help = recordingIo({ cwd: dir(), homeDir: dir() });
    expect(await runCli(['login', '--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: lmarena-bridge login');
    expect(help.out()).toContain('"Security Verification" flag');
    expect(help.out()).not.toContain('--keep-open');
  });

  it('names the setting when the configured browser does not exist', async () => {
    const io = recordingIo({ cwd: dir(), homeDir: dir() });
    expect(await runCli(['login', '--browser-path', join(dir(), 'no-such-chromium'), '--data-dir', dir()], io)).toBe(1);
    expect(io.err()).toContain('browser_executable_path (--browser-path, BRIDGE_BROWSER_PATH)');
  });

  it('rejects a bad timeout', async () => {
    const io = recordingIo({ cwd: dir(), homeDir: dir() });
    expect(await runCli(['login', '--timeout-seconds', 'soon'], io)).toBe(2);
    expect(io.err()).toContain('--timeout-seconds');
  });
});
