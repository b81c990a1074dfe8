import { printError, printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { waitForShutdown } from '../wait-for-shutdown.js';
import { announceCertificate, readTlsFlags } from './fake-arena-tls.js';
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
    'allow-direct-create': { type: 'boolean' },
    'account-flag': { type: 'string' },
    tls: { type: 'boolean' },
    'tls-key': { type: 'string' },
    'tls-cert': { type: 'string' },
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
  --allow-direct-create
                       accept mode "direct" when a conversation starts (the live
                       site answers 400; default: refuse, as it does)
  --account-flag <n>/<seconds>[/<hold>]
                       flag an account that sends n stream requests within
                       <seconds>: its requests answer 403 "recaptcha validation
                       failed" with retry-after for <hold> seconds (default 1200),
                       extended by each request, and its pages show the "Security
                       Verification" modal until its checkbox is clicked
  --tls                serve https:// with HTTP/2 (HTTP/1.1 for clients without
                       h2), as arena.ai does, under a self-signed certificate for
                       127.0.0.1, ::1 and localhost made at start; the certificate
                       is written to a temporary file and the command prints how
                       to trust it (e.g. Chromium's --ignore-certificate-errors)
  --tls-key <file>, --tls-cert <file>
                       serve TLS with this PEM key and certificate instead
  -h, --help           show this help

Then run the bridge against it:
  lmarena-bridge serve --arena-url http://127.0.0.1:5107`,

  async run({ values, io }) {
    const port = parseIntegerFlag(io, values, 'port', 5107, 0, 65535);
    const pacingMs = parseIntegerFlag(io, values, 'pacing-ms', 0, 0, 60_000);
    if (port === undefined || pacingMs === undefined) return 2;
    const { parseAccountFlagSpec, startFakeArena } = await import('../../fake-arena/index.js');
    const flagSpec = values['account-flag'];
    const accountFlag = typeof flagSpec === 'string' ? parseAccountFlagSpec(flagSpec) : undefined;
    if (typeof flagSpec === 'string' && accountFlag === undefined) {
      printError(io, `--account-flag: expected <requests>/<seconds>[/<hold seconds>] with positive integers, e.g. 3/60/1200, got ${JSON.stringify(flagSpec)}.`);
      return 2;
    }
    const tls = await readTlsFlags(io, values);
    if (tls === undefined) return 2;
    const arena = await startFakeArena({
      host: typeof values['host'] === 'string' ? values['host'] : '127.0.0.1',
      port,
      pacing: { chunkDelayMs: pacingMs },
      requireLoginForDirect: values['require-login'] === true,
      challengeOnStart: values['challenge'] === true,
      challengeInteractive: values['turnstile'] === true,
      directOnCreate: values['allow-direct-create'] === true ? 'allow' : 'refuse',
      ...(accountFlag === undefined ? {} : { accountFlag }),
      tls,
    });
    printLine(io, `Fake LMArena is running at ${arena.url}`);
    const removeCertificate = await announceCertificate(io, arena, tls === true);
    printLine(io, 'Point the bridge at it:');
    printLine(io, `  lmarena-bridge serve --arena-url ${arena.url}`);
    printLine(io, 'Press Ctrl+C to stop.');
    return waitForShutdown(io, async () => {
      await arena.close();
      await removeCertificate();
    });
  },
};
