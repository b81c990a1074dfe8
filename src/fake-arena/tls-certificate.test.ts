import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SELF_SIGNED_VALIDITY_DAYS, generateSelfSignedCertificate, resolveTlsCredentials, spkiSha256 } from './tls-certificate.js';

describe('generateSelfSignedCertificate', () => {
  it('covers 127.0.0.1, ::1 and localhost, for a short while, with its own key', async () => {
    const now = Date.now();
    const { key, cert } = await generateSelfSignedCertificate(now);
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect([x509.checkIP('127.0.0.1'), x509.checkIP('::1'), x509.checkHost('localhost')]).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.ca).toBe(false);
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(days).toBeCloseTo(SELF_SIGNED_VALIDITY_DAYS + 1 / 24, 2);
    expect(Date.parse(x509.validFrom)).toBeLessThan(now);
  });
});

describe('resolveTlsCredentials', () => {
  it('is none without tls, the given pair as is, a fresh pair for true', async () => {
    expect(await resolveTlsCredentials(undefined)).toBeUndefined();
    expect(await resolveTlsCredentials(false)).toBeUndefined();
    expect(await resolveTlsCredentials({ key: 'k', cert: 'c' })).toEqual({ key: 'k', cert: 'c' });
    expect((await resolveTlsCredentials(true))?.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

describe('spkiSha256', () => {
  it('is the base64 SHA-256 of the DER public key', async () => {
    const { cert } = await generateSelfSignedCertificate();
    const der = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    expect(spkiSha256(cert)).toBe(createHash('sha256').update(der).digest('base64'));
    expect(spkiSha256(cert)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
