// The creator signing identity: a local CA and an ES256 signer certificate with the usages C2PA requires.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { thrownAtelierError, rejectedAtelierError } from '../../tests/fixtures/atelier-errors';
import { certificateChainDer, createCreatorCredentials } from './credentials';

const NOW = new Date('2026-11-21T09:00:00Z');

describe('createCreatorCredentials', () => {
  it('issues an ES256 signer certificate from a local CA, valid from now for years', async () => {
    const creds = await createCreatorCredentials({ creatorName: 'Ana Lima, "Ink" & Co', now: NOW });
    expect(creds.alg).toBe('es256');
    const [signerDer, caDer] = certificateChainDer(creds);
    expect(certificateChainDer(creds)).toHaveLength(2);
    const signer = new X509Certificate(signerDer as Uint8Array);
    const ca = new X509Certificate(caDer as Uint8Array);

    expect(signer.subject).toContain('CN=Ana Lima\\, \\"Ink\\" & Co');
    expect(signer.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(signer.checkIssued(ca)).toBe(true);
    expect(signer.verify(ca.publicKey)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(signer.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']));
    expect(new Date(signer.validFrom).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(new Date(signer.validTo).getUTCFullYear()).toBe(2036);

    const key = createPrivateKey(creds.privateKeyPkcs8Pem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(signer.checkPrivateKey(key)).toBe(true);
  });

  it('gives every creator a different key', async () => {
    const a = await createCreatorCredentials({ creatorName: 'Ana', now: NOW });
    const b = await createCreatorCredentials({ creatorName: 'Ana', now: NOW });
    expect(a.privateKeyPkcs8Pem).not.toBe(b.privateKeyPkcs8Pem);
  });

  it('rejects an empty creator name and a bad date', async () => {
    expect((await rejectedAtelierError(createCreatorCredentials({ creatorName: '  ', now: NOW }))).code).toBe('VALIDATION');
    expect((await rejectedAtelierError(createCreatorCredentials({ creatorName: 'Ana', now: new Date('nope') }))).code).toBe('VALIDATION');
  });

  it('rejects a chain without certificates', () => {
    const err = thrownAtelierError(() => certificateChainDer({ certificateChainPem: 'hello', privateKeyPkcs8Pem: '', alg: 'es256' }));
    expect(err.code).toBe('VALIDATION');
  });
});
