import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { recordingIo, waitForText } from '../../../src/cli/test-support/recording-io.js';
import { useTempDir } from '../../support/temp-dir.js';

const dir = useTempDir('bridge-cli-it-');

const root = fileURLToPath(new URL('../../../', import.meta.url));
const builtMain = join(root, 'dist', 'src', 'cli', 'main.js');
const builtRunCli = join(root, 'dist', 'src', 'cli', 'run-cli.js');

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('lmarena-bridge serve', () => {
  it('serves HTTP on the configured port, prints the URLs and stops cleanly on SIGINT', async () => {
    await writeFile(join(dir(), 'config.jsonc'), '{ "host": "127.0.0.1", "port": 0, "browser": "off", "data_dir": "state", "arena_url": "http://127.0.0.1:9" }');
    const io = recordingIo({ cwd: dir(), homeDir: dir(), env: { BRIDGE_LOG_LEVEL: 'off' } });
    const exit = runCli([], io);
    await waitForText(io.out, 'Press Ctrl+C to stop.');
    const base = /OpenAI base URL: (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(io.out())?.[1];
    expect(base).toBeDefined();
    expect(io.out()).toContain(`Userscript:      ${base}/userscript.user.js`);
    expect(io.out()).toContain(`Config file:     ${join(dir(), 'config.jsonc')}`);
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    io.signals.emit('SIGINT', 'SIGINT');
    expect(await exit).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });

  it('explains a port that is already taken and exits with 1', async () => {
    const blocker = createServer();
    const port = await listen(blocker);
    try {
      const io = recordingIo({ cwd: dir(), homeDir: dir(), env: { BRIDGE_LOG_LEVEL: 'off' } });
      expect(await runCli(['serve', '--port', String(port), '--browser', 'off', '--data-dir', join(dir(), 'state')], io)).toBe(1);
      expect(io.err()).toContain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(io.err()).toContain('--host/--port');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('lmarena-bridge doctor', () => {
  it('passes with a usable setup and prints a ✓ line per check', async () => {
    const io = recordingIo({ cwd: dir(), homeDir: dir() });
    const code = await runCli(['doctor', '--data-dir', join(dir(), 'state'), '--port', '0', '--browser', 'off'], io);
    expect(io.out()).toMatch(/^✓ Node\.js /m);
    expect(io.out()).toMatch(/^✓ Configuration valid/m);
    expect(io.out()).toMatch(/^✓ Data directory .* is writable \(created\)$/m);
    expect(io.out()).toMatch(/^✓ State database opens \(schema version \d+\)$/m);
    expect(io.out()).toMatch(/^✓ Chromium not needed/m);
    expect(code).toBe(0);
  });

  it('fails with a ✗ line and a fix for each problem', async () => {
    const blocker = createServer();
    const port = await listen(blocker);
    try {
      await writeFile(join(dir(), 'config.jsonc'), '{ "log_level": "loud" }');
      const io = recordingIo({ cwd: dir(), homeDir: dir() });
      const code = await runCli(
        ['doctor', '--port', String(port), '--data-dir', join(dir(), 'state'), '--browser-path', join(dir(), 'no-such-chrome')],
        io,
      );
      expect(code).toBe(1);
      const out = io.out();
      expect(out).toMatch(/^✗ Configuration invalid \(1 problem\)/m);
      expect(out).toContain('config.jsonc: log_level: expected');
      expect(out).toMatch(new RegExp(`^✗ Port 127\\.0\\.0\\.1:${port} cannot be bound \\(EADDRINUSE\\)$`, 'm'));
      expect(out).toMatch(/^✗ No Chromium: the configured browser .*no-such-chrome does not exist/m);
      expect(out).toContain('    → Install Chromium');
      expect(out).toMatch(/^3 checks failed\.$/m);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('lmarena-bridge fake-arena', () => {
  const hasFake = existsSync(join(root, 'src', 'fake-arena', 'index.ts'));
  it.skipIf(!hasFake)('starts the fake, prints how to point the bridge at it, and stops on SIGTERM', async () => {
    const io = recordingIo({ cwd: dir(), homeDir: dir() });
    const exit = runCli(['fake-arena', '--port', '0', '--pacing-ms', '0'], io);
    await waitForText(io.out, 'Press Ctrl+C to stop.');
    const url = /Fake LMArena is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1];
    expect(url).toBeDefined();
    expect(io.out()).toContain(`lmarena-bridge serve --arena-url ${url}`);
    const response = await fetch(`${url}/nextjs-api/model-catalog`);
    expect(response.status).toBe(200);
    io.signals.emit('SIGTERM', 'SIGTERM');
    expect(await exit).toBe(0);
  });
});

describe('the built command', () => {
  // dist/ is produced by `npm run build`; an older build without run-cli.js has only a placeholder.
  const built = existsSync(builtMain) && existsSync(builtRunCli);
  it.skipIf(!built)('prints help as a child process (skipped unless dist/ holds a build of the CLI)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [builtMain, '--help'], { cwd: dir() });
    expect(stdout).toContain('Usage: lmarena-bridge [command] [options]');
  });
});
