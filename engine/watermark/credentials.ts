// A creator's C2PA signing identity (local CA + ES256 end-entity certificate) and the COSE_Sign1 signature the C2PA SDK embeds.
import { AtelierError } from '../errors';

/** A signing identity as stored per profile: PEM text only, so it serialises as-is. */
export interface CreatorCredentials {
  /** End-entity certificate first, then the local CA that issued it (C2PA x5chain order). */
  certificateChainPem: string;
  privateKeyPkcs8Pem: string;
  alg: 'es256';
}

export interface CreatorCredentialsOptions {
  creatorName: string;
  now: Date;
}

/** Byte arrays over a plain ArrayBuffer, as WebCrypto's BufferSource wants. */
type Bytes = Uint8Array<ArrayBuffer>;

const ES256: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** Backdating absorbs clock skew between the machine that signs and the one that checks. */
const BACKDATE_MS = 60 * 60 * 1000;
/** The identity outlives any single release; the studio can issue a new one at any time. */
const VALIDITY_YEARS = 10;

/**
 * Extended key usages C2PA accepts for a claim signer (C2PA 2.1, §14.5.1 "Certificate profile"):
 * id-kp-emailProtection and id-kp-documentSigning. anyExtendedKeyUsage is forbidden there.
 */
const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

/** The organisation named in both certificates, so a checker sees where the identity came from. */
const ISSUING_ORGANISATION = 'Atelier studio (local)';

/** Longest creator name written into a certificate (X.520 ub-common-name is 64 characters). */
const MAX_COMMON_NAME = 64;

/**
 * Makes a fresh signing identity for a creator: a self-signed local CA and an ES256 end-entity
 * certificate it issued, with the key usage and EKUs C2PA requires. Nobody outside this machine
 * trusts the CA, so C2PA validators report the signature as correct but untrusted — which is true.
 */
export async function createCreatorCredentials(opts: CreatorCredentialsOptions): Promise<CreatorCredentials> {
  const creatorName = commonName(opts.creatorName);
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) {
    throw new AtelierError('VALIDATION', 'The signing identity needs a valid creation date.');
  }
  const subtle = globalThis.crypto.subtle;
  const notBefore = new Date(opts.now.getTime() - BACKDATE_MS);
  const notAfter = new Date(opts.now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);

  const caKeys = await subtle.generateKey(ES256, true, ['sign', 'verify']);
  const signerKeys = await subtle.generateKey(ES256, true, ['sign', 'verify']);
  const caKeyId = await keyIdentifier(caKeys.publicKey);
  const signerKeyId = await keyIdentifier(signerKeys.publicKey);
  const caName = distinguishedName(`${creatorName} signing authority`);

  const ca = await issueCertificate({
    subject: caName,
    issuer: caName,
    notBefore,
    notAfter,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      extension(OID.basicConstraints, true, der.seq(der.bool(true), der.int(Uint8Array.of(0)))),
      extension(OID.keyUsage, true, der.bitString(KEY_USAGE_CA, KEY_USAGE_CA_UNUSED_BITS)),
      extension(OID.subjectKeyIdentifier, false, der.octets(caKeyId)),
    ],
  });
  const signer = await issueCertificate({
    subject: distinguishedName(creatorName),
    issuer: caName,
    notBefore,
    notAfter,
    publicKey: signerKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      extension(OID.basicConstraints, true, der.seq()),
      extension(OID.keyUsage, true, der.bitString(KEY_USAGE_DIGITAL_SIGNATURE, KEY_USAGE_DIGITAL_SIGNATURE_UNUSED_BITS)),
      extension(OID.extKeyUsage, false, der.seq(der.oid(EKU_EMAIL_PROTECTION), der.oid(EKU_DOCUMENT_SIGNING))),
      extension(OID.subjectKeyIdentifier, false, der.octets(signerKeyId)),
      extension(OID.authorityKeyIdentifier, false, der.seq(der.tagged(0x80, caKeyId))),
    ],
  });

  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', signerKeys.privateKey));
  return {
    certificateChainPem: toPem('CERTIFICATE', signer) + toPem('CERTIFICATE', ca),
    privateKeyPkcs8Pem: toPem('PRIVATE KEY', pkcs8),
    alg: 'es256',
  };
}

/** Object identifiers used in the certificates (RFC 5280 §4.2.1, RFC 5758 §3.2, X.520). */
const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** keyUsage bits (RFC 5280 §4.2.1.3): digitalSignature = bit 0; keyCertSign = bit 5, cRLSign = bit 6. */
const KEY_USAGE_DIGITAL_SIGNATURE = 0x80;
const KEY_USAGE_DIGITAL_SIGNATURE_UNUSED_BITS = 7;
const KEY_USAGE_CA = 0x06;
const KEY_USAGE_CA_UNUSED_BITS = 1;
/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
const UTC_TIME_LAST_YEAR = 2049;
/** RFC 7093 §2 method 1: the key identifier is the leftmost 160 bits of SHA-256 of the public key. */
const KEY_ID_BYTES = 20;

interface CertificateRequest {
  subject: Uint8Array;
  issuer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  extensions: Uint8Array[];
}

/** Builds and signs an X.509 v3 certificate (RFC 5280 §4.1) with ecdsa-with-SHA256; returns its DER. */
async function issueCertificate(req: CertificateRequest): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const spki = new Uint8Array(await subtle.exportKey('spki', req.publicKey));
  const algorithm = der.seq(der.oid(OID.ecdsaWithSha256));
  const tbs = der.seq(
    der.explicit(0, der.int(Uint8Array.of(2))),
    der.int(randomSerial()),
    algorithm,
    req.issuer,
    der.seq(der.time(req.notBefore), der.time(req.notAfter)),
    req.subject,
    spki,
    der.explicit(3, der.seq(...req.extensions)),
  );
  const p1363 = new Uint8Array(await subtle.sign(ES256, req.signingKey, tbs));
  // X.509 carries ECDSA signatures as DER SEQUENCE { r INTEGER, s INTEGER } (RFC 5758 §3.2), WebCrypto gives r‖s.
  const half = p1363.length / 2;
  const signature = der.seq(der.int(p1363.subarray(0, half)), der.int(p1363.subarray(half)));
  return der.seq(tbs, algorithm, der.bitString(signature, 0));
}

function distinguishedName(cn: string): Uint8Array {
  const rdn = (oid: string, value: string): Bytes => der.set(der.seq(der.oid(oid), der.utf8(value)));
  return der.seq(rdn(OID.commonName, cn), rdn(OID.organisation, ISSUING_ORGANISATION));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? der.seq(der.oid(oid), der.bool(true), der.octets(value)) : der.seq(der.oid(oid), der.octets(value));
}

async function keyIdentifier(publicKey: CryptoKey): Promise<Uint8Array> {
  const raw = await globalThis.crypto.subtle.exportKey('raw', publicKey);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', raw)).subarray(0, KEY_ID_BYTES);
}

/** The DER (ITU X.690) encodings a certificate needs, each returning one complete TLV. */
const der = {
  tlv(tag: number, body: Uint8Array): Bytes {
    const n = body.length;
    const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
    const out = new Uint8Array(1 + len.length + n);
    out[0] = tag;
    out.set(len, 1);
    out.set(body, 1 + len.length);
    return out;
  },
  concat(parts: Uint8Array[]): Bytes {
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  },
  seq: (...items: Uint8Array[]): Bytes => der.tlv(0x30, der.concat(items)),
  set: (...items: Uint8Array[]): Bytes => der.tlv(0x31, der.concat(items)),
  explicit: (n: number, inner: Uint8Array): Bytes => der.tlv(0xa0 | n, inner),
  tagged: (tag: number, body: Uint8Array): Bytes => der.tlv(tag, body),
  bool: (v: boolean): Bytes => der.tlv(0x01, Uint8Array.of(v ? 0xff : 0)),
  octets: (body: Uint8Array): Bytes => der.tlv(0x04, body),
  utf8: (s: string): Bytes => der.tlv(0x0c, new TextEncoder().encode(s)),
  bitString: (body: Uint8Array | number, unusedBits: number): Bytes =>
    der.tlv(0x03, der.concat([Uint8Array.of(unusedBits), typeof body === 'number' ? Uint8Array.of(body) : body])),
  /** An unsigned big-endian integer: leading zeros dropped, one 0x00 added if the top bit is set. */
  int(unsigned: Uint8Array): Bytes {
    let start = 0;
    while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
    const trimmed = unsigned.subarray(start);
    const body = (trimmed[0] ?? 0) & 0x80 ? der.concat([Uint8Array.of(0), trimmed]) : trimmed;
    return der.tlv(0x02, body);
  },
  oid(dotted: string): Bytes {
    const arcs = dotted.split('.').map(Number);
    const bytes: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
    for (const arc of arcs.slice(2)) {
      const chunk: number[] = [arc & 0x7f];
      for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
      bytes.push(...chunk);
    }
    return der.tlv(0x06, Uint8Array.from(bytes));
  },
  time(d: Date): Bytes {
    const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
    return d.getUTCFullYear() <= UTC_TIME_LAST_YEAR
      ? der.tlv(0x17, new TextEncoder().encode(`${digits.slice(2)}Z`))
      : der.tlv(0x18, new TextEncoder().encode(`${digits}Z`));
  },
};

/** The DER certificates of a PEM chain, in order. */
export function certificateChainDer(credentials: CreatorCredentials): Uint8Array[] {
  const ders = pemBlocks(credentials.certificateChainPem, 'CERTIFICATE');
  if (ders.length === 0) throw badCredentials('it holds no certificate');
  return ders;
}

/** C2PA claim signatures are COSE_Sign1 with a detached payload (C2PA 2.1 §13.2; RFC 9052 §4). */
const COSE_SIGN1_TAG = 18;
/** COSE header labels (IANA COSE registry): alg = 1, x5chain = 33. ES256 is algorithm −7. */
const COSE_ALG = 1;
const COSE_X5CHAIN = 33;
const COSE_ES256 = -7;
/** C2PA's padding header (C2PA 2.1 §13.2.3); its CBOR key "pad" takes 4 bytes. */
const COSE_PAD = 'pad';
const COSE_PAD_KEY_BYTES = 4;

/** Signs C2PA claim bytes into the COSE_Sign1 the SDK embeds. */
export type ClaimSigner = (claim: Uint8Array<ArrayBuffer>) => Promise<Uint8Array<ArrayBuffer>>;

/**
 * Checks the identity and returns a signer for C2PA claims. It returns the whole tagged COSE_Sign1:
 * the C2PA wasm SDK hands JS signers the claim and embeds what they return as-is ("direct COSE
 * handling"), so the certificate chain travels in our protected header. The signature is IEEE P1363
 * r‖s, which WebCrypto produces and COSE requires (RFC 9053 §2.1). With boxSize, the result is padded
 * to exactly that many bytes.
 */
export async function prepareClaimSigner(credentials: CreatorCredentials, boxSize?: number): Promise<ClaimSigner> {
  const chain = certificateChainDer(credentials);
  const key = await importSigningKey(credentials);
  const protectedHeader = encodeCbor(
    new Map<number, CborValue>([
      [COSE_ALG, COSE_ES256],
      [COSE_X5CHAIN, chain.length === 1 ? (chain[0] as Uint8Array) : chain],
    ]),
  );
  return async (claim) => {
    const toBeSigned = encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), claim]);
    const signature = new Uint8Array(await globalThis.crypto.subtle.sign(ES256, key, toBeSigned));
    const sign1 = (unprotected: Map<string, CborValue>): Bytes =>
      encodeCbor({ tag: COSE_SIGN1_TAG, value: [protectedHeader, unprotected, null, signature] });
    const bare = sign1(new Map());
    if (boxSize === undefined) return bare;
    return padToSize(bare.length, boxSize, (pad) => sign1(new Map([[COSE_PAD, pad]])));
  };
}

/**
 * The SDK lays out the file around a placeholder of exactly the reserved size before signing, so the
 * signature must fill that size or the hashed byte ranges shift (C2PA 2.1 §10.3.2.4: the "pad"
 * unprotected header exists for this).
 */
function padToSize(bareLength: number, boxSize: number, withPad: (pad: Uint8Array) => Bytes): Bytes {
  // Adding {"pad": bstr(k)} costs the key (4 bytes) + the bstr head (1, 2, 3 or 5 bytes) + k.
  for (const headBytes of [1, 2, 3, 5]) {
    const k = boxSize - bareLength - COSE_PAD_KEY_BYTES - headBytes;
    if (k < 0) break;
    const padded = withPad(new Uint8Array(k));
    if (padded.length === boxSize) return padded;
  }
  throw new AtelierError('INTERNAL', 'The content-credentials signature does not fit the space reserved for it.', {
    signatureBytes: bareLength,
    boxSize,
  });
}

async function importSigningKey(credentials: CreatorCredentials): Promise<CryptoKey> {
  if (credentials.alg !== 'es256') throw badCredentials(`its algorithm "${String(credentials.alg)}" is not ES256`);
  const [der] = pemBlocks(credentials.privateKeyPkcs8Pem, 'PRIVATE KEY');
  if (!der) throw badCredentials('it holds no private key');
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', der, ES256, false, ['sign']);
  } catch (e) {
    throw badCredentials('its private key is not an ES256 (P-256) key', e);
  }
}

function badCredentials(why: string, cause?: unknown): AtelierError {
  return new AtelierError(
    'VALIDATION',
    `This profile's signing identity cannot be used: ${why}. Create a new signing identity in the profile settings.`,
    cause === undefined ? undefined : { cause: String(cause) },
  );
}

function commonName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0) {
    throw new AtelierError('VALIDATION', 'The signing identity needs the creator name; it is empty.');
  }
  return [...trimmed].slice(0, MAX_COMMON_NAME).join('');
}

/** A positive 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets; the top bit stays clear). */
function randomSerial(): Uint8Array {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes;
}

function toPem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function pemBlocks(pem: string, label: string): Bytes[] {
  if (typeof pem !== 'string') return [];
  const pattern = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`, 'g');
  return [...pem.matchAll(pattern)].map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

/** The CBOR values COSE needs: integers, byte and text strings, arrays, maps, null and one tag. */
type CborValue = number | string | Uint8Array | null | CborValue[] | Map<number | string, CborValue> | { tag: number; value: CborValue };

/** Deterministic CBOR (RFC 8949 §4.2) for the small structures above; maps keep insertion order, which callers sort. */
function encodeCbor(value: CborValue): Bytes {
  const out: number[] = [];
  const head = (major: number, n: number): void => {
    if (n < 24) out.push((major << 5) | n);
    else if (n < 0x100) out.push((major << 5) | 24, n);
    else if (n < 0x10000) out.push((major << 5) | 25, n >> 8, n & 0xff);
    else if (n <= 0xffffffff) out.push((major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    else throw new AtelierError('INTERNAL', 'A signature field is too large to encode.');
  };
  const walk = (v: CborValue): void => {
    if (v === null) out.push(0xf6);
    else if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new AtelierError('INTERNAL', 'Only whole numbers appear in a signature header.');
      if (v >= 0) head(0, v);
      else head(1, -1 - v);
    } else if (typeof v === 'string') {
      const utf8 = new TextEncoder().encode(v);
      head(3, utf8.length);
      for (const b of utf8) out.push(b);
    } else if (v instanceof Uint8Array) {
      head(2, v.length);
      for (const b of v) out.push(b);
    } else if (Array.isArray(v)) {
      head(4, v.length);
      for (const item of v) walk(item);
    } else if (v instanceof Map) {
      head(5, v.size);
      for (const [k, item] of v) {
        walk(k);
        walk(item);
      }
    } else {
      head(6, v.tag);
      walk(v.value);
    }
  };
  walk(value);
  return Uint8Array.from(out);
}
