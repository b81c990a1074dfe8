/*
 * `lmarena-bridge login --account NAME` with and without `browser_profiles`: the usage errors come
 * before any browser is looked for (the configured one does not exist here), with exit code 2.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { recordingIo } from '../../../src/cli/test-support/recording-io.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir('bridge-login-account-');

async function login(args: string[], profiles?: unknown[]): Promise<{ code: number; out: string; err: string }> {
  const settings = { data_dir: join(dir(), 'state'), browser_executable_path: join(dir(), 'no-such-chromium'), ...(profiles ? { browser_profiles: profiles } : {}) };
  await writeFile(join(dir(), 'config.jsonc'), JSON.stringify(settings));
  const io = recordingIo({ cwd: dir(), homeDir: dir(), env: { BRIDGE_LOG_LEVEL: 'off' } });
  const code = await runCli(['login', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('lmarena-bridge login --account', () => {
  it('refuses a name that is not in browser_profiles, listing the configured ones', async () => {
    const result = await login(['--account', 'carol'], ['alice', { name: 'bob', pages: 2 }]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('No browser profile named "carol"; browser_profiles has "alice", "bob".');
    expect(result.err).toContain('add "carol" to browser_profiles');
    expect(result.err).not.toContain('no-such-chromium');
  });

  it('refuses --account when no browser_profiles are configured', async () => {
    const result = await login(['--account', 'alice']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--account "alice" needs browser_profiles, and none are configured');
    expect(result.err).toContain('without --account');
  });

  it('asks for --account when browser_profiles are configured, naming them', async () => {
    const result = await login([], ['alice', 'bob']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('browser_profiles is set ("alice", "bob"): say which profile to sign in with --account NAME');
    expect(result.err).toContain('lmarena-bridge login --account alice');
  });

  it('goes on to look for the browser with a known name, and without profiles and --account as before', async () => {
    for (const [args, profiles] of [[['--account', 'bob'], ['alice', 'bob']], [[], undefined]] as const) {
      const result = await login([...args], profiles === undefined ? undefined : [...profiles]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('browser_executable_path (--browser-path, BRIDGE_BROWSER_PATH)');
    }
  });

  it('documents --account in its help', async () => {
    const result = await login(['--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: lmarena-bridge login [--account NAME]');
    expect(result.out).toMatch(/--account <name> +the browser_profiles entry to sign in/);
  });
});
