// The model bundle on disk: manifest.json plus content-hashed blobs, written atomically and verified on read.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError, isAtelierError } from '../errors';
import type { AssetKind, AssetTag, CropRect } from '../report';

/** Bumped when the manifest's shape changes in a way an older reader cannot follow. */
export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_FORMAT = 'atelier-model-bundle';
export const MANIFEST_FILE = 'manifest.json';
/** Blob names are plain file names: no folders, no dots first, so a hostile manifest cannot reach outside. */
const BLOB_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** A manifest is a few hundred KB at most (histograms, descriptors, tag index); more means it is not ours. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** One training asset as it was when the bundle was trained. */
export interface BundleAsset {
  sha256: string;
  name: string;
  crop: CropRect | null;
  tags: AssetTag[];
}

export interface BlobEntry {
  name: string;
  sha256: string;
  size: number;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  modality: AssetKind;
  /** Which engine reads the blobs, with its own version (e.g. "image-patch/1"). */
  engine: string;
  /** ISO 8601. */
  created: string;
  assets: BundleAsset[];
  /** Training metrics, shown with the model version. */
  metrics: Record<string, unknown>;
  blobs: BlobEntry[];
  /** The engine's own small data (statistics, indexes) — JSON, no pixels. */
  data: Record<string, unknown>;
  /**
   * Publisher's signature over the manifest without this field. The Market issue fills it (signBundle hook);
   * until then it is null and readers do not require it.
   */
  signature: string | null;
}

export interface Bundle {
  manifest: Omit<BundleManifest, 'blobs' | 'signature' | 'format' | 'formatVersion'>;
  blobs: Map<string, Uint8Array>;
}

export interface LoadedBundle {
  manifest: BundleManifest;
  blobs: Map<string, Uint8Array>;
}

/** The hook the Market issue plugs signing into: returns a signature over the canonical manifest bytes. */
export type BundleSigner = (manifestBytes: Uint8Array) => Promise<string> | string;
/** The matching check on read: throws (or returns false) when the signature does not hold. */
export type BundleVerifier = (manifestBytes: Uint8Array, signature: string | null) => Promise<boolean> | boolean;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkBlobName(name: string): void {
  if (!BLOB_NAME.test(name) || name === MANIFEST_FILE) {
    throw new AtelierError('VALIDATION', `"${name}" cannot be a model file name: use lower-case letters, digits, dots, dashes and underscores.`);
  }
}

/** The bytes a signature covers: the manifest with signature null, as written. */
function canonicalBytes(manifest: BundleManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...manifest, signature: null }, null, 2));
}

async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the renamed files are already synced.
  } finally {
    await handle.close();
  }
}

/**
 * Writes the bundle into `dir`: everything goes to `dir.tmp` first (each file fsynced), then one rename makes
 * it appear whole — a crash or cancel leaves no half bundle under `dir`. Refuses to overwrite an existing dir.
 */
export async function writeBundle(dir: string, bundle: Bundle, opts: { sign?: BundleSigner } = {}): Promise<BundleManifest> {
  const tmp = `${dir}.tmp`;
  const exists = await fs.stat(dir).then(
    () => true,
    () => false,
  );
  if (exists) throw new AtelierError('CONFLICT', `A model version already exists at ${dir}; it is never overwritten.`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  try {
    const blobs: BlobEntry[] = [];
    for (const [name, bytes] of [...bundle.blobs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      checkBlobName(name);
      await writeSynced(path.join(tmp, name), bytes);
      blobs.push({ name, sha256: sha256Hex(bytes), size: bytes.byteLength });
    }
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      ...bundle.manifest,
      blobs,
      signature: null,
    };
    if (opts.sign) manifest.signature = await opts.sign(canonicalBytes(manifest));
    await writeSynced(path.join(tmp, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
    await syncDir(tmp);
    await fs.rename(tmp, dir);
    await syncDir(path.dirname(dir));
    return manifest;
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    if (isAtelierError(e)) throw e;
    throw new AtelierError('INTERNAL', `The model could not be saved to ${dir}. Check that the disk has space and try again.`, {
      cause: e instanceof Error ? e.message : String(e),
    });
  }
}

function corrupt(dir: string, what: string, details?: unknown): AtelierError {
  return new AtelierError('CORRUPT_FILE', `The model at ${dir} is damaged (${what}). Train it again or restore it from a backup.`, details);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseManifest(dir: string, text: string): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt(dir, 'manifest.json is not valid JSON');
  }
  if (!isRecord(raw) || raw.format !== BUNDLE_FORMAT) throw corrupt(dir, 'manifest.json is not an Atelier model manifest');
  if (typeof raw.formatVersion !== 'number' || raw.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new AtelierError(
      'UNSUPPORTED_FILE',
      `The model at ${dir} was made by a newer Atelier (format ${String(raw.formatVersion)}); update Atelier to use it.`,
    );
  }
  if (!Array.isArray(raw.blobs) || !Array.isArray(raw.assets) || !isRecord(raw.data) || !isRecord(raw.metrics)) {
    throw corrupt(dir, 'manifest.json is missing its file list, assets or data');
  }
  if (typeof raw.modality !== 'string' || typeof raw.engine !== 'string' || typeof raw.created !== 'string') {
    throw corrupt(dir, 'manifest.json does not say which engine made it');
  }
  for (const b of raw.blobs as unknown[]) {
    if (!isRecord(b) || typeof b.name !== 'string' || typeof b.sha256 !== 'string' || typeof b.size !== 'number' || !BLOB_NAME.test(b.name)) {
      throw corrupt(dir, 'manifest.json lists a file it cannot name safely');
    }
  }
  return raw as unknown as BundleManifest;
}

/** Reads and verifies a bundle: every blob listed must be there with its exact size and SHA-256. */
export async function readBundle(dir: string, opts: { verify?: BundleVerifier } = {}): Promise<LoadedBundle> {
  let text: string;
  try {
    const stat = await fs.stat(path.join(dir, MANIFEST_FILE));
    if (stat.size > MAX_MANIFEST_BYTES) throw corrupt(dir, 'manifest.json is far too large');
    text = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    if (isAtelierError(e)) throw e;
    throw new AtelierError('NOT_FOUND', `No model was found at ${dir} (manifest.json is missing).`);
  }
  const manifest = parseManifest(dir, text);
  if (opts.verify && !(await opts.verify(canonicalBytes(manifest), manifest.signature))) {
    throw corrupt(dir, 'its signature does not match its contents');
  }
  const blobs = new Map<string, Uint8Array>();
  for (const entry of manifest.blobs) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(path.join(dir, entry.name)));
    } catch {
      throw corrupt(dir, `the file ${entry.name} is missing`, { blob: entry.name });
    }
    if (bytes.byteLength !== entry.size || sha256Hex(bytes) !== entry.sha256) {
      throw corrupt(dir, `the file ${entry.name} does not match its checksum`, { blob: entry.name });
    }
    blobs.set(entry.name, bytes);
  }
  return { manifest, blobs };
}
