// Clean export: embeds and reads C2PA content credentials in PNG/JPEG through the c2pa-rs wasm SDK, running in plain Node.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, WasmBuilder, WasmReader } from '@contentauth/c2pa-wasm';
import { AtelierError } from '../errors';
import { prepareClaimSigner, type CreatorCredentials } from './credentials';

export type CredentialsImageFormat = 'png' | 'jpeg';

/** What the export states about a picture. */
export interface ExportFacts {
  title: string;
  creatorName: string;
  modelName: string;
  modelVersion: string;
  /** Hex digest of the training set the model was trained on. */
  trainingSetHash: string;
  /** ISO 8601 time the picture was generated. */
  generatedAt: string;
}

/**
 * How a C2PA validator judges the manifest. 'untrusted' means intact and correctly signed, but by an
 * identity no public trust list knows — every Atelier export, since each creator's CA is local.
 */
export type CredentialsVerdict = 'valid' | 'untrusted' | 'invalid';

/** The manifest summary for tests and the "Check a file" panel. */
export interface CredentialsSummary {
  /** "AI-generated with <model> by <creator>", or the manifest's title for files not made here. */
  description: string;
  title: string | null;
  /** The Atelier assertion, when the file was exported by Atelier. */
  atelier: ExportFacts | null;
  digitalSourceType: string | null;
  claimGenerator: string | null;
  signer: { commonName: string | null; issuer: string | null; signedAt: string | null };
  verdict: CredentialsVerdict;
  /** Validation failure codes (C2PA 2.1 §15), e.g. "assertion.dataHash.mismatch". */
  problems: string[];
}

/** Custom assertion label (reverse-DNS, C2PA 2.1 §6.3 "Labels") for what only Atelier knows. */
export const ATELIER_MODEL_ASSERTION = 'org.atelier.model';
/** IPTC digital source type for media made by a model trained on sampled content (C2PA 2.1 §18.5 via IPTC NewsCodes). */
export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

/** Identifies Atelier as the claim generator (package.json version at the time of writing). */
const CLAIM_GENERATOR = { name: 'Atelier', version: '0.1.0' };

/**
 * Bytes reserved for the COSE signature box. Must exceed what signClaim returns: ~64 B signature +
 * headers + two DER certificates of ~500 B each. c2pa-rs pads the box up to this size.
 */
const SIGNATURE_RESERVE_BYTES = 4 * 1024;

/** Largest picture accepted for export or checking; a 16k² RGBA PNG stays below it. */
export const MAX_CREDENTIALS_FILE_BYTES = 256 * 1024 * 1024;

/** C2PA failure codes that only say the signer is not on a trust list (C2PA 2.1 §15.7). */
const UNTRUSTED_ONLY_CODES = new Set(['signingCredential.untrusted']);

/** SDK settings: no thumbnail — the picture itself is the preview, and a 1024² thumbnail costs time and bytes. */
const BUILDER_SETTINGS = JSON.stringify({ builder: { thumbnail: { enabled: false } } });

const MIME: Record<CredentialsImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg' };

/**
 * Returns the picture with an embedded, signed C2PA manifest: a c2pa.created action with digital
 * source type trainedAlgorithmicMedia, an org.atelier.model assertion (model name, version, training
 * set hash) and the title "AI-generated with <model> by <creator>". Pixels are not touched.
 */
export async function exportWithCredentials(
  image: Uint8Array,
  format: CredentialsImageFormat,
  facts: ExportFacts,
  credentials: CreatorCredentials,
): Promise<Uint8Array> {
  const label = `the ${format === 'png' ? 'PNG' : 'JPEG'} picture`;
  checkBytes(image, label);
  if (sniffFormat(image) !== format) {
    throw new AtelierError('UNSUPPORTED_FILE', `Cannot add content credentials: ${label} is not a ${format.toUpperCase()} file. Export it again.`);
  }
  const checked = checkFacts(facts);
  const signClaim = await prepareClaimSigner(credentials, SIGNATURE_RESERVE_BYTES);
  ensureSdk();
  const description = describe(checked.modelName, checked.creatorName);
  const definition = {
    claim_generator_info: [CLAIM_GENERATOR],
    title: checked.title.length > 0 ? checked.title : description,
    format: MIME[format],
    assertions: [
      {
        label: 'c2pa.actions.v2',
        data: {
          actions: [
            {
              action: 'c2pa.created',
              digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
              softwareAgent: CLAIM_GENERATOR,
              when: checked.generatedAt,
              description,
            },
          ],
        },
      },
      { label: ATELIER_MODEL_ASSERTION, data: { ...checked, description } },
    ],
  };
  let builder: WasmBuilder | undefined;
  try {
    builder = WasmBuilder.fromJson(JSON.stringify(definition), BUILDER_SETTINGS);
    const signed = await builder.sign(
      { alg: credentials.alg, reserveSize: SIGNATURE_RESERVE_BYTES, sign: signClaim },
      MIME[format],
      new BytesBlob(image),
    );
    return new Uint8Array(signed);
  } catch (e) {
    if (e instanceof AtelierError) throw e;
    throw new AtelierError('CORRUPT_FILE', `Cannot add content credentials to ${label}: the file could not be processed. Export it again.`, {
      cause: sdkMessage(e),
    });
  } finally {
    builder?.free();
  }
}

/**
 * Reads the active C2PA manifest of a PNG or JPEG and judges it; `trustAnchorsPem` adds certificates to trust
 * (the studio passes its own local CA, so "signed by this studio" is a checked signature, not a name match). Returns null when the file carries
 * no credentials; a manifest that is present but damaged comes back with verdict 'invalid' and its
 * problems, or — if it cannot even be parsed — as a CORRUPT_FILE error.
 */
export async function readCredentials(bytes: Uint8Array, fileName = 'this file', opts: { trustAnchorsPem?: string } = {}): Promise<CredentialsSummary | null> {
  checkBytes(bytes, fileName);
  const format = sniffFormat(bytes);
  if (format === null) {
    throw new AtelierError('UNSUPPORTED_FILE', `Cannot check ${fileName} for content credentials: only PNG and JPEG pictures are supported.`);
  }
  ensureSdk();
  let reader: WasmReader | undefined;
  try {
    // With the creator's own CA as a trust anchor, their signature validates ('valid') and any other reads as untrusted.
    const context = opts.trustAnchorsPem ? JSON.stringify({ trust: { user_anchors: opts.trustAnchorsPem } }) : null;
    reader = await WasmReader.fromBlob(MIME[format], new BytesBlob(bytes), context);
    return summarise(JSON.parse(reader.json()) as unknown);
  } catch (e) {
    if (e instanceof AtelierError) throw e;
    if (NO_MANIFEST.test(sdkMessage(e))) return null;
    throw new AtelierError('CORRUPT_FILE', `The content credentials in ${fileName} are damaged and cannot be read.`, { cause: sdkMessage(e) });
  } finally {
    reader?.free();
  }
}

/** The title every Atelier export carries. */
export function describe(modelName: string, creatorName: string): string {
  return `AI-generated with ${modelName} by ${creatorName}`;
}

/** c2pa-rs errors meaning "there is no manifest here" (Error::JumbfNotFound / ProvenanceMissing). */
const NO_MANIFEST = /JumbfNotFound|ProvenanceMissing|JumbfBoxNotFound/;

function summarise(store: unknown): CredentialsSummary | null {
  const root = asRecord(store);
  const activeLabel = typeof root.active_manifest === 'string' ? root.active_manifest : null;
  const manifests = asRecord(root.manifests);
  if (activeLabel === null || !(activeLabel in manifests)) return null;
  const manifest = asRecord(manifests[activeLabel]);
  const assertions = Array.isArray(manifest.assertions) ? manifest.assertions.map(asRecord) : [];
  const atelierData = assertions.find((a) => a.label === ATELIER_MODEL_ASSERTION)?.data;
  const atelier = atelierData === undefined ? null : factsFrom(asRecord(atelierData));
  const actions = assertions.filter((a) => typeof a.label === 'string' && a.label.startsWith('c2pa.actions'));
  const created = actions.flatMap((a) => {
    const list = asRecord(a.data).actions;
    return Array.isArray(list) ? list.map(asRecord) : [];
  }).find((a) => a.action === 'c2pa.created');
  const signature = asRecord(manifest.signature_info);
  const generator = Array.isArray(manifest.claim_generator_info) ? asRecord(manifest.claim_generator_info[0]) : {};
  const title = typeof manifest.title === 'string' ? manifest.title : null;
  const problems = failureCodes(root);
  const verdict: CredentialsVerdict =
    problems.length === 0 ? 'valid' : problems.every((c) => UNTRUSTED_ONLY_CODES.has(c)) ? 'untrusted' : 'invalid';
  return {
    description: atelier ? describe(atelier.modelName, atelier.creatorName) : (title ?? ''),
    title,
    atelier,
    digitalSourceType: typeof created?.digitalSourceType === 'string' ? created.digitalSourceType : null,
    claimGenerator: typeof generator.name === 'string' ? generator.name : null,
    signer: {
      commonName: typeof signature.common_name === 'string' ? signature.common_name : null,
      issuer: typeof signature.issuer === 'string' ? signature.issuer : null,
      signedAt: typeof signature.time === 'string' ? signature.time : null,
    },
    verdict,
    problems,
  };
}

/** Failure codes of the active manifest: validation_results when present, else the flat validation_status list. */
function failureCodes(root: Record<string, unknown>): string[] {
  const results = asRecord(asRecord(root.validation_results).activeManifest);
  const list = Array.isArray(results.failure) ? results.failure : Array.isArray(root.validation_status) ? root.validation_status : [];
  return [...new Set(list.map((s) => asRecord(s).code).filter((c): c is string => typeof c === 'string'))];
}

function factsFrom(data: Record<string, unknown>): ExportFacts {
  const text = (k: keyof ExportFacts): string => (typeof data[k] === 'string' ? data[k] : '');
  return {
    title: text('title'),
    creatorName: text('creatorName'),
    modelName: text('modelName'),
    modelVersion: text('modelVersion'),
    trainingSetHash: text('trainingSetHash'),
    generatedAt: text('generatedAt'),
  };
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function checkFacts(facts: ExportFacts): ExportFacts {
  const required: (keyof ExportFacts)[] = ['creatorName', 'modelName', 'modelVersion', 'trainingSetHash', 'generatedAt'];
  for (const k of required) {
    if (typeof facts[k] !== 'string' || facts[k].trim().length === 0) {
      throw new AtelierError('VALIDATION', `Cannot add content credentials: the ${FACT_NAMES[k]} is missing.`);
    }
  }
  if (Number.isNaN(Date.parse(facts.generatedAt))) {
    throw new AtelierError('VALIDATION', `Cannot add content credentials: the generation time "${facts.generatedAt}" is not a date.`);
  }
  return {
    title: typeof facts.title === 'string' ? facts.title.trim() : '',
    creatorName: facts.creatorName.trim(),
    modelName: facts.modelName.trim(),
    modelVersion: facts.modelVersion.trim(),
    trainingSetHash: facts.trainingSetHash.trim(),
    generatedAt: new Date(facts.generatedAt).toISOString(),
  };
}

const FACT_NAMES: Record<keyof ExportFacts, string> = {
  title: 'title',
  creatorName: 'creator name',
  modelName: 'model name',
  modelVersion: 'model version',
  trainingSetHash: 'training set hash',
  generatedAt: 'generation time',
};

function checkBytes(bytes: Uint8Array, label: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new AtelierError('CORRUPT_FILE', `Cannot use ${label}: it is empty, there is no picture in it.`);
  }
  if (bytes.length > MAX_CREDENTIALS_FILE_BYTES) {
    throw new AtelierError('TOO_LARGE', `Cannot use ${label}: it is larger than ${MAX_CREDENTIALS_FILE_BYTES / (1024 * 1024)} MB.`);
  }
}

/** PNG signature (RFC 2083 §3.1) and JPEG SOI + marker prefix (ITU T.81 B.1.1.3). */
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

function sniffFormat(bytes: Uint8Array): CredentialsImageFormat | null {
  const starts = (magic: number[]): boolean => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
  if (starts(PNG_MAGIC)) return 'png';
  if (starts(JPEG_MAGIC)) return 'jpeg';
  return null;
}

/** The SDK throws strings, JsValues or Errors; this gets a loggable message from any of them. */
function sdkMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}

let sdkReady = false;

/**
 * Loads the wasm from node_modules once (no fetch, no download) and installs the one browser API it
 * needs that Node lacks. The SDK reads its input Blob synchronously through FileReaderSync, which only
 * exists in browser workers; our polyfill serves BytesBlob, whose bytes are already in memory.
 */
function ensureSdk(): void {
  if (sdkReady) return;
  const g = globalThis as { FileReaderSync?: unknown };
  if (g.FileReaderSync === undefined) g.FileReaderSync = BytesFileReaderSync;
  try {
    const wasmPath = createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm');
    initSync({ module: readFileSync(wasmPath) });
  } catch (e) {
    throw new AtelierError('INTERNAL', 'The content-credentials engine could not start. Reinstall Atelier.', { cause: sdkMessage(e) });
  }
  sdkReady = true;
}

/** A Blob whose bytes stay readable synchronously; slices share the memory. */
class BytesBlob extends Blob {
  readonly data: Uint8Array;

  constructor(data: Uint8Array) {
    super();
    this.data = data;
  }

  override get size(): number {
    return this.data.length;
  }

  override slice(start?: number, end?: number): BytesBlob {
    return new BytesBlob(this.data.subarray(start ?? 0, end ?? this.data.length));
  }
}

/** The FileReaderSync subset the SDK calls; serves BytesBlob only. */
class BytesFileReaderSync {
  readAsArrayBuffer(blob: unknown): ArrayBuffer {
    if (!(blob instanceof BytesBlob)) throw new TypeError('Atelier reads only in-memory pictures synchronously.');
    const copy = new Uint8Array(blob.data.length);
    copy.set(blob.data);
    return copy.buffer;
  }
}
