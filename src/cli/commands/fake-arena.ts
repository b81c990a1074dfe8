import { printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { waitForShutdown } from '../wait-for-shutdown.js';
import { parseIntegerFlag } from './parse-integer-flag.js';

/** `lmarena-bridge fake-arena`: the offline stand-in for arena.ai, for demos and client development. */
export const fakeArenaCommand: CliCommand = {
  name: 'fake-arena',
  summary: 'Run a fake LMArena (arena.ai) for offline use and tests',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'pacing-ms': { type: 'string' },
    'require-login': { type: 'boolean' },
    challenge: { type: 'boolean' },
    turnstile: { type: 'boolean' },
  },
  help: `Usage: lmarena-bridge fake-arena [options]

Runs a local imitation of arena.ai (models, pages, streaming replies, failures on demand)
so the bridge and its clients can be tried without the real site.

Options:
  --host <address>     address to bind (default 127.0.0.1)
  --port <port>        port to bind (default 5107; 0 picks a free one)
  --pacing-ms <ms>     pause between streamed chunks (default 0)
  --require-login      answer direct chats of anonymous users with LOGIN_GATE
  --challenge          show a Cloudflare challenge until it is passed
  --turnstile          the challenge passes only after a click on its checkbox
  -h, --help           show this help

Then run the bridge against it:
  lmarena-bridge serve --arena-url http://127.0.0.1:5107`,

  async run({ values, io }) {
    const port = parseIntegerFlag(io, values, 'port', 5107, 0, 65535);
    const pacingMs = parseIntegerFlag(io, values, 'pacing-ms', 0, 0, 60_000);
    if (port === undefined || pacingMs === undefined) return 2;
    const { startFakeArena } = await import('../../fake-arena/index.js');
    const arena = await startFakeArena({
      host: typeof values['host'] === 'string' ? values['host'] : '127.0.0.1',
      port,
      pacing: { chunkDelayMs: pacingMs },
      requireLoginForDirect: values['require-login'] === true,
      challengeOnStart: values['challenge'] === true,
      challengeInteractive: values['turnstile'] === true,
    });
    printLine(io, `Fake LMArena is running at ${arena.url}`);
    printLine(io, 'Point the bridge at it:');
    printLine(io, `  lmarena-bridge serve --arena-url ${arena.url}`);
    printLine(io, 'Press Ctrl+C to stop.');
    return waitForShutdown(io, () => arena.close());
  },
};
