import { X509Certificate, createHash } from 'node:crypto';
import { generate } from 'selfsigned';

/** A PEM private key and the PEM certificate that goes with it. */
export interface TlsCredentials {
  key: string;
  cert: string;
}

/** How long a generated certificate is valid, from one hour before it was made (clock skew). */
export const SELF_SIGNED_VALIDITY_DAYS = 7;

/** Names a generated certificate is valid for: the loopback addresses and `localhost`. */
export const SELF_SIGNED_NAMES = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] } as const;

const HOUR_MS = 3_600_000;

/**
 * Makes a self-signed server certificate (ECDSA P-256, SHA-256) whose subjectAltName lists
 * {@link SELF_SIGNED_NAMES}, valid for {@link SELF_SIGNED_VALIDITY_DAYS} days.
 */
export async function generateSelfSignedCertificate(now = Date.now()): Promise<TlsCredentials> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Fake LMArena' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - HOUR_MS),
    notAfterDate: new Date(now + SELF_SIGNED_VALIDITY_DAYS * 24 * HOUR_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...SELF_SIGNED_NAMES.dns.map((value) => ({ type: 2 as const, value })),
          ...SELF_SIGNED_NAMES.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** The key and certificate to serve for the `tls` option: none, the given pair, or a fresh self-signed one. */
export async function resolveTlsCredentials(tls: boolean | TlsCredentials | undefined): Promise<TlsCredentials | undefined> {
  if (tls === undefined || tls === false) return undefined;
  return tls === true ? generateSelfSignedCertificate() : { key: tls.key, cert: tls.cert };
}

/**
 * The base64 SHA-256 of a certificate's public key (SPKI), the form Chromium's
 * `--ignore-certificate-errors-spki-list` takes to trust that one certificate.
 */
export function spkiSha256(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
