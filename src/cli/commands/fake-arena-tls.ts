import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { printError, printLine } from '../cli-io.js';
import type { CliIo } from '../cli-io.js';
import type { FakeArena, TlsCredentials } from '../../fake-arena/index.js';

/**
 * Reads `--tls`, `--tls-key <file>` and `--tls-cert <file>` (paths from the working directory):
 * `false` for plain HTTP, `true` for a generated self-signed certificate, or the PEM pair. Prints
 * the problem and returns undefined when the files are half given or unreadable.
 */
export async function readTlsFlags(io: CliIo, values: Readonly<Record<string, string | boolean | undefined>>): Promise<boolean | TlsCredentials | undefined> {
  const keyFile = values['tls-key'];
  const certFile = values['tls-cert'];
  if (typeof keyFile !== 'string' && typeof certFile !== 'string') return values['tls'] === true;
  if (typeof keyFile !== 'string' || typeof certFile !== 'string') {
    printError(io, '--tls-key and --tls-cert go together: give both PEM files, or neither (--tls alone generates a self-signed certificate).');
    return undefined;
  }
  try {
    const [key, cert] = await Promise.all([readFile(resolve(io.cwd, keyFile), 'utf8'), readFile(resolve(io.cwd, certFile), 'utf8')]);
    return { key, cert };
  } catch (error) {
    printError(io, `--tls-key/--tls-cert: cannot read the PEM files (${error instanceof Error ? error.message : String(error)}).`);
    return undefined;
  }
}

/**
 * Writes the served certificate to a fresh temporary directory and prints how to trust it.
 * Resolves with the cleanup that removes the directory (run it at shutdown).
 */
export async function announceCertificate(io: CliIo, arena: FakeArena, generated: boolean): Promise<() => Promise<void>> {
  const certificate = arena.certificate;
  if (certificate === undefined) return async () => undefined;
  const { SELF_SIGNED_VALIDITY_DAYS, spkiSha256 } = await import('../../fake-arena/index.js');
  const directory = await mkdtemp(join(tmpdir(), 'lmarena-fake-arena-'));
  const file = join(directory, 'certificate.pem');
  await writeFile(file, certificate, { mode: 0o644 });
  const origin = generated ? `self-signed for 127.0.0.1, ::1 and localhost, valid ${SELF_SIGNED_VALIDITY_DAYS} days` : 'from --tls-cert';
  printLine(io, `TLS with HTTP/2 (and HTTP/1.1). Its certificate (${origin}) is in ${file}`);
  printLine(io, 'Clients must trust it:');
  printLine(io, `  Chromium:   --ignore-certificate-errors-spki-list=${spkiSha256(certificate)}`);
  printLine(io, '              (taken only together with --user-data-dir), or --ignore-certificate-errors');
  printLine(io, '  Playwright: ignoreHTTPSErrors: true in the browser context');
  printLine(io, `  Node, curl: NODE_EXTRA_CA_CERTS=${file}, curl --cacert ${file}`);
  return () => rm(directory, { recursive: true, force: true });
}
